package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Splits;
import dev.descent.tensor.Parallel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * K-fold cross-validation of a table learner ({@code descent train FILE --cv K}): the learner is
 * fitted on K − 1 folds and scored on the remaining one, K times (folds stratified for classes),
 * and each metric is reported as mean ± standard deviation over the folds next to the naive
 * baseline's. Nothing is saved.
 */
public final class CrossValidation {
    private CrossValidation() {
    }

    /**
     * Cross-validates the learner the settings describe on their table with {@code k} folds.
     *
     * @return the summary: {@code test_METRIC}, {@code test_METRIC_std} and {@code baseline_METRIC} for each metric
     */
    public static Map<String, Object> run(TrainingSettings settings, int k, Consumer<String> log) {
        if (settings.kind() != DataKind.TABLE) {
            throw new DescentException("--cv applies to tables; " + settings.text(Setting.DATASET) + " is "
                    + settings.kind().describe() + " (hold out a validation share with --validation instead)");
        }
        if (k < 2) {
            throw new DescentException("--cv must be at least 2 folds, got " + k);
        }
        settings.checkApplicable(settings.given());
        Object threads = settings.get(Setting.THREADS);
        if (threads != null) {
            Parallel.setThreads((Integer) threads);
        }
        long started = System.nanoTime();
        String algorithm = settings.text(Setting.ALGORITHM);
        TableExperiment experiment = TrainingRun.experiment(settings, k + "-fold cross-validation of " + algorithm, log);
        Learner learner = Learners.create(algorithm, settings);
        List<Report> models = new ArrayList<>(), baselines = new ArrayList<>();
        List<Splits.IndexSplit> folds = experiment.folds(k);
        for (int f = 0; f < folds.size(); f++) {
            TableExperiment.Result r = experiment.run(folds.get(f), learner, log);
            models.add(r.model());
            baselines.add(r.baseline());
            Map.Entry<String, Double> headline = r.model().metrics().entrySet().iterator().next();
            log.accept(String.format(Locale.ROOT, "fold %d/%d: %s %s  (baseline %s)  %s", f + 1, k, headline.getKey(),
                    TableExperiment.formatValue(headline.getKey(), headline.getValue()),
                    TableExperiment.formatValue(headline.getKey(), r.baseline().metrics().get(headline.getKey())),
                    r.fitted().summary()));
        }
        Map<String, double[]> m = TableExperiment.collect(models), b = TableExperiment.collect(baselines);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("algorithm", algorithm);
        summary.put("task", experiment.target().task().name().toLowerCase(Locale.ROOT));
        log.accept(String.format(Locale.ROOT, "%d-fold cross-validation, mean ± std over the folds:", k));
        log.accept(String.format(Locale.ROOT, "  %-18s %-20s %s", "metric", algorithm, "baseline"));
        for (Map.Entry<String, double[]> e : m.entrySet()) {
            String name = e.getKey();
            log.accept(String.format(Locale.ROOT, "  %-18s %-20s %s", name, TableExperiment.meanStd(name, e.getValue()),
                    TableExperiment.meanStd(name, b.get(name))));
            summary.put("test_" + name, TableExperiment.mean(e.getValue()));
            summary.put("test_" + name + "_std", TableExperiment.std(e.getValue()));
            summary.put("baseline_" + name, TableExperiment.mean(b.get(name)));
        }
        summary.put("cv", k);
        String headline = m.keySet().iterator().next();
        double model = TableExperiment.mean(m.get(headline)), base = TableExperiment.mean(b.get(headline));
        if (Report.higherIsBetter(headline) ? model <= base : model >= base) {
            TableExperiment.warnNoBetter(log);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        log.accept(String.format(Locale.ROOT, "done (%.1fs); cross-validation saves no model, train without --cv to save one",
                seconds));
        return summary;
    }
}
