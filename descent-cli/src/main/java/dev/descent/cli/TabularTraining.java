package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Splits;
import dev.descent.data.table.Table;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.train.ClassificationReport;
import dev.descent.train.Report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code descent train FILE.csv --target y}: learns from a table with the algorithm of
 * {@code --algorithm}, either on a stratified holdout split (scored on the test rows and
 * saved) or by k-fold cross-validation ({@code --cv K}: mean ± std of each metric, nothing
 * saved); each result stands next to the naive baseline's on the same rows.
 */
final class TabularTraining {
    private final TrainCommand command;
    private final TableOptions options;
    private final PrintStream log = System.err;

    TabularTraining(TrainCommand command) {
        this.command = command;
        this.options = command.table;
    }

    /** A printer of warnings that says each distinct one once. */
    static Consumer<String> warnings(PrintStream log) {
        Set<String> seen = new LinkedHashSet<>();
        return w -> {
            if (seen.add(w)) {
                log.println("descent: warning: " + w);
            }
        };
    }

    void run() {
        long started = System.nanoTime();
        options.validate();
        if (command.resume != null) {
            throw new DescentException("--resume works for images only; train a table model anew");
        }
        if (command.threads != null) {
            Parallel.setThreads(command.threads);
        }
        Path file = Path.of(command.data.dataset);
        TabularLearner learner = learner(command, options.algorithm);
        Table table = options.read(file);
        TabularExperiment experiment = new TabularExperiment(table, options.preprocessing(), command.validation,
                command.seed, warnings(log));
        log.printf(Locale.ROOT, "descent: %s: %,d rows × %d columns | %s | %s%n", table.source(), table.rowCount(),
                table.columnCount(), experiment.describeTask(), learner.name());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("algorithm", learner.name());
        summary.put("task", experiment.target().task().name().toLowerCase(Locale.ROOT));
        if (options.folds != null) {
            crossValidate(experiment, learner, options.folds, summary);
        } else {
            holdout(experiment, learner, summary);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        log.printf(Locale.ROOT, "%s (%.1fs)%n", options.folds != null ? "done" : "saved " + out(), seconds);
        if (command.json) {
            command.spec.commandLine().getOut().println(Json.write(summary));
        }
    }

    private Path out() {
        if (command.spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            return command.out;
        }
        String name = Path.of(command.data.dataset).getFileName().toString();
        int dot = name.indexOf('.');
        return Path.of("runs", dot > 0 ? name.substring(0, dot) : name);
    }

    private void holdout(TabularExperiment experiment, TabularLearner learner, Map<String, Object> summary) {
        Splits.IndexSplit split = experiment.holdout(options.testSize);
        TabularExperiment.Result r = experiment.run(split, learner, log);
        log.println(r.fitted().summary());
        printResult(log, "test", r.model(), r.baseline(), split.test().length);
        if (r.model() instanceof ClassificationReport c && c.classes() <= 20) {
            printClasses(log, c, experiment.target().classes());
        }
        r.model().metrics().forEach((k, v) -> summary.put("test_" + k, v));
        r.baseline().metrics().forEach((k, v) -> summary.put("baseline_" + k, v));
        summary.putAll(r.fitted().facts());
        summary.put("out", out().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("algorithm", learner.name());
        config.put("table", r.preprocessor().toConfig());
        config.put("csv_header", !options.csv.noHeader);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("dataset", command.data.dataset);
        training.put("seed", command.seed);
        training.put("test_size", options.testSize);
        training.put("validation", command.validation);
        config.put("training", training);
        config.put("metrics", new LinkedHashMap<>(summary));
        config.put("provenance", Checkpoint.provenance(Version.VERSION,
                "descent train " + String.join(" ", command.spec.commandLine().getParseResult().originalArgs()), command.seed));
        r.fitted().save(out(), config);
    }

    private void crossValidate(TabularExperiment experiment, TabularLearner learner, int k, Map<String, Object> summary) {
        List<Report> models = new ArrayList<>(), baselines = new ArrayList<>();
        List<Splits.IndexSplit> folds = experiment.folds(k);
        for (int f = 0; f < folds.size(); f++) {
            TabularExperiment.Result r = experiment.run(folds.get(f), learner, log);
            models.add(r.model());
            baselines.add(r.baseline());
            Map.Entry<String, Double> headline = r.model().metrics().entrySet().iterator().next();
            log.printf(Locale.ROOT, "fold %d/%d: %s %s  (baseline %s)  %s%n", f + 1, k, headline.getKey(),
                    TabularExperiment.formatValue(headline.getKey(), headline.getValue()),
                    TabularExperiment.formatValue(headline.getKey(), r.baseline().metrics().get(headline.getKey())),
                    r.fitted().summary());
        }
        Map<String, double[]> m = TabularExperiment.collect(models), b = TabularExperiment.collect(baselines);
        log.printf(Locale.ROOT, "%d-fold cross-validation, mean ± std over the folds:%n", k);
        log.printf(Locale.ROOT, "  %-18s %-20s %s%n", "metric", learner.name(), "baseline");
        for (Map.Entry<String, double[]> e : m.entrySet()) {
            String name = e.getKey();
            log.printf(Locale.ROOT, "  %-18s %-20s %s%n", name, meanStd(name, e.getValue()), meanStd(name, b.get(name)));
            summary.put("test_" + name, TabularExperiment.mean(e.getValue()));
            summary.put("test_" + name + "_std", TabularExperiment.std(e.getValue()));
            summary.put("baseline_" + name, TabularExperiment.mean(b.get(name)));
        }
        summary.put("cv", k);
        String headline = m.keySet().iterator().next();
        double model = TabularExperiment.mean(m.get(headline)), base = TabularExperiment.mean(b.get(headline));
        if (Report.higherIsBetter(headline) ? model <= base : model >= base) {
            warnNoBetter(log);
        }
        log.println("cross-validation saves no model; train without --cv to save one");
    }

    static String meanStd(String metric, double[] values) {
        double mean = TabularExperiment.mean(values), std = TabularExperiment.std(values);
        return TabularExperiment.isShare(metric)
                ? String.format(Locale.ROOT, "%.2f ± %.2f%%", 100 * mean, 100 * std)
                : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
    }

    static void printResult(PrintStream log, String part, Report model, Report baseline, int rows) {
        log.printf(Locale.ROOT, "%s (%,d rows): %s%n", part, rows, TabularExperiment.format(model.metrics()));
        log.printf(Locale.ROOT, "naive baseline (%s): %s%n", model instanceof ClassificationReport
                ? "the training class frequencies, always the majority class" : "always the training mean",
                TabularExperiment.format(baseline.metrics()));
        if (!TabularExperiment.beats(model, baseline)) {
            warnNoBetter(log);
        }
    }

    private static void warnNoBetter(PrintStream log) {
        log.println("descent: warning: the model does not beat the naive baseline; train longer, change the model or"
                + " check the data (is the target predictable from the inputs?)");
    }

    /** Precision, recall and F1 of each class, and the confusion matrix. */
    static void printClasses(PrintStream log, ClassificationReport c, List<String> classes) {
        int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        log.printf(Locale.ROOT, "%-" + width + "s  precision  recall     f1  support%n", "class");
        long[][] m = c.confusion();
        for (int k = 0; k < classes.size(); k++) {
            long support = 0;
            for (long v : m[k]) {
                support += v;
            }
            log.printf(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d%n", classes.get(k), c.precision(k),
                    c.recall(k), c.f1(k), support);
        }
        log.printf(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f%n", "macro", c.macroPrecision(), c.macroRecall(),
                c.macroF1());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "confusion (rows: true, columns: predicted)%n%"
                + width + "s", ""));
        for (String name : classes) {
            header.append(String.format(Locale.ROOT, " %5s", name.length() > 5 ? name.substring(0, 5) : name));
        }
        log.println(header);
        for (int k = 0; k < classes.size(); k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", classes.get(k)));
            for (long v : m[k]) {
                row.append(String.format(Locale.ROOT, " %5d", v));
            }
            log.println(row);
        }
    }

    /** The learner {@code --algorithm} names, with the MLP options of {@code train} (table defaults where not given). */
    static TabularLearner learner(TrainCommand c, String algorithm) {
        int threads = c.threads != null ? c.threads : Parallel.threads();
        return switch (algorithm) {
            case "tree" -> TreeLearner.singleTree(c.seed, threads);
            case "gbdt" -> TreeLearner.boosted(c.seed, threads);
            default -> new MlpLearner(mlpSettings(c));
        };
    }

    private static MlpLearner.Settings mlpSettings(TrainCommand c) {
        var parsed = c.spec.commandLine().getParseResult();
        MlpLearner.Settings d = MlpLearner.Settings.defaults(c.seed);
        Map<String, Double> settings = OptimizerRegistry.parse(c.hyperparameters == null ? "" : c.hyperparameters);
        if (c.learningRate != null) {
            settings.put("lr", c.learningRate);
        }
        OptimizerRegistry.create(c.optimizer, settings); // unknown names fail here, before training
        return new MlpLearner.Settings(c.model,
                parsed.hasMatchedOption("--layers") ? c.layers : d.hidden(),
                c.activation,
                parsed.hasMatchedOption("--dropout") ? c.dropout : d.dropout(),
                c.optimizer, settings,
                parsed.hasMatchedOption("--schedule") ? c.schedule : d.schedule(),
                parsed.hasMatchedOption("--batch-size") ? c.batchSize : d.batchSize(),
                parsed.hasMatchedOption("--epochs") ? c.epochs : d.epochs(),
                parsed.hasMatchedOption("--patience") ? c.patience : d.patience(),
                c.minDelta, c.l1, c.l2, c.seed);
    }
}
