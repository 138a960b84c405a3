package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Splits;
import dev.descent.io.Json;
import dev.descent.tensor.Parallel;
import dev.descent.train.DataKind;
import dev.descent.train.Learner;
import dev.descent.train.Learners;
import dev.descent.train.Report;
import dev.descent.train.TableExperiment;
import dev.descent.train.TrainingRun;
import dev.descent.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code descent compare FILE --target y}: the naive baseline and every table algorithm (the
 * network with the table defaults, one decision tree, gradient-boosted trees), cross-validated
 * on the same folds, side by side.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-validate the naive baseline, an MLP, a decision tree and boosted trees on the same folds.",
                "Example: descent compare data.csv --target y --cv 10"})
final class CompareCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "Table file: .csv, .tsv or .arff, optionally .gz.")
    String file;

    @Mixin
    TableOptions table;

    @Option(names = "--cv", paramLabel = "K", description = "Folds (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int folds;

    @Option(names = "--validation", paramLabel = "SHARE",
            description = "Share of each training part held out for early stopping (default: ${sys:descent.default.validation}).")
    Double validation;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the folds and the models (default: ${sys:descent.default.seed}).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "Print only the table (and the --json line).")
    boolean quiet;

    @Option(names = "--json", description = "End with one JSON line of results on standard output.")
    boolean json;

    @Override
    public void run() {
        long started = System.nanoTime();
        TrainingSettings settings = CommandLineSettings.given(spec);
        if (settings.kind() != DataKind.TABLE) {
            throw new DescentException("compare works on table files (.csv, .tsv, .arff); " + file + " is not one");
        }
        if (folds < 2) {
            throw new DescentException("--cv must be at least 2 folds, got " + folds);
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Consumer<String> log = quiet ? line -> { } : System.err::println;
        TableExperiment experiment = TrainingRun.experiment(settings, folds + "-fold cross-validation of "
                + String.join(", ", Learners.names()), log);
        List<Splits.IndexSplit> splits = experiment.folds(folds);
        Map<String, List<Report>> reports = new LinkedHashMap<>();
        reports.put("baseline", new ArrayList<>());
        List<Learner> learners = Learners.names().stream().map(name -> Learners.create(name, settings)).toList();
        learners.forEach(l -> reports.put(l.name(), new ArrayList<>()));
        for (int f = 0; f < splits.size(); f++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "fold %d/%d:", f + 1, folds));
            for (Learner learner : learners) {
                TableExperiment.Result r = experiment.run(splits.get(f), learner, log);
                if (reports.get("baseline").size() == f) {
                    reports.get("baseline").add(r.baseline());
                }
                reports.get(learner.name()).add(r.model());
                Map.Entry<String, Double> headline = r.model().metrics().entrySet().iterator().next();
                line.append(String.format(Locale.ROOT, "  %s %s", learner.name(),
                        TableExperiment.formatValue(headline.getKey(), headline.getValue())));
            }
            log.accept(line.toString());
        }
        Map<String, Map<String, double[]>> byName = new LinkedHashMap<>();
        reports.forEach((name, list) -> byName.put(name, TableExperiment.collect(list)));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-18s", "metric"));
        byName.keySet().forEach(name -> header.append(String.format(Locale.ROOT, " %-19s", name)));
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "%d-fold cross-validation on %s, mean ± std over the folds:%n", folds, file);
        printer.println(header.toString().stripTrailing());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cv", folds);
        for (String metric : byName.get("baseline").keySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-18s", metric));
            for (Map.Entry<String, Map<String, double[]>> e : byName.entrySet()) {
                double[] values = e.getValue().get(metric);
                row.append(String.format(Locale.ROOT, " %-19s", TableExperiment.meanStd(metric, values)));
                summary.put(e.getKey() + "_" + metric, TableExperiment.mean(values));
                summary.put(e.getKey() + "_" + metric + "_std", TableExperiment.std(values));
            }
            printer.println(row.toString().stripTrailing());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        log.accept(String.format(Locale.ROOT, "done (%.1fs)", seconds));
        if (json) {
            printer.println(Json.write(summary));
        }
    }
}
