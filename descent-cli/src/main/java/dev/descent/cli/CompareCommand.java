package dev.descent.cli;

import dev.descent.data.Splits;
import dev.descent.data.table.Table;
import dev.descent.io.Json;
import dev.descent.tensor.Parallel;
import dev.descent.train.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code descent compare FILE --target y}: the naive baseline, an MLP, one decision tree and
 * gradient-boosted trees, cross-validated on the same folds, side by side.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-validate the naive baseline, an MLP, a decision tree and boosted trees on the same folds.",
                "Example: descent compare data.csv --target y --cv 10"})
final class CompareCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Table file: .csv, .tsv or .arff, optionally .gz.")
    Path file;

    @Mixin
    TableOptions table;

    @Option(names = "--validation", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Share of each training part held out for early stopping (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the folds and the models (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = "--json", description = "End with one JSON line of results on standard output.")
    boolean json;

    static final int DEFAULT_FOLDS = 5;

    @Override
    public void run() {
        long started = System.nanoTime();
        table.validate();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        PrintStream log = System.err;
        int k = table.folds == null ? DEFAULT_FOLDS : table.folds;
        int workers = threads != null ? threads : Parallel.threads();
        List<TabularLearner> learners = List.of(new MlpLearner(MlpLearner.Settings.defaults(seed)),
                TreeLearner.singleTree(seed, workers), TreeLearner.boosted(seed, workers));
        Table data = table.read(file);
        TabularExperiment experiment = new TabularExperiment(data, table.preprocessing(), validation, seed,
                TabularTraining.warnings(log));
        log.printf(Locale.ROOT, "descent: %s: %,d rows × %d columns | %s | %d-fold cross-validation%n", data.source(),
                data.rowCount(), data.columnCount(), experiment.describeTask(), k);
        List<Splits.IndexSplit> folds = experiment.folds(k);
        Map<String, List<Report>> reports = new LinkedHashMap<>();
        reports.put("baseline", new ArrayList<>());
        learners.forEach(l -> reports.put(l.name(), new ArrayList<>()));
        for (int f = 0; f < folds.size(); f++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "fold %d/%d:", f + 1, k));
            for (TabularLearner learner : learners) {
                TabularExperiment.Result r = experiment.run(folds.get(f), learner, log);
                if (reports.get("baseline").size() == f) {
                    reports.get("baseline").add(r.baseline());
                }
                reports.get(learner.name()).add(r.model());
                Map.Entry<String, Double> headline = r.model().metrics().entrySet().iterator().next();
                line.append(String.format(Locale.ROOT, "  %s %s", learner.name(),
                        TabularExperiment.formatValue(headline.getKey(), headline.getValue())));
            }
            log.println(line);
        }
        Map<String, Map<String, double[]>> byName = new LinkedHashMap<>();
        reports.forEach((name, list) -> byName.put(name, TabularExperiment.collect(list)));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-18s", "metric"));
        byName.keySet().forEach(name -> header.append(String.format(Locale.ROOT, " %-19s", name)));
        var printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "%d-fold cross-validation on %s, mean ± std over the folds:%n", k, data.source());
        printer.println(header.toString().stripTrailing());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cv", k);
        for (String metric : byName.get("baseline").keySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-18s", metric));
            for (Map.Entry<String, Map<String, double[]>> e : byName.entrySet()) {
                double[] values = e.getValue().get(metric);
                row.append(String.format(Locale.ROOT, " %-19s", TabularTraining.meanStd(metric, values)));
                summary.put(e.getKey() + "_" + metric, TabularExperiment.mean(values));
                summary.put(e.getKey() + "_" + metric + "_std", TabularExperiment.std(values));
            }
            printer.println(row.toString().stripTrailing());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        log.printf(Locale.ROOT, "done (%.1fs)%n", seconds);
        if (json) {
            printer.println(Json.write(summary));
        }
    }
}
