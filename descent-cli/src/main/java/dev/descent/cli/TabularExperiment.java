package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Splits;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.table.Target;
import dev.descent.train.Baseline;
import dev.descent.train.ClassificationReport;
import dev.descent.train.RegressionReport;
import dev.descent.train.Report;
import dev.descent.data.Task;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One table and how to learn from it: the target (detected on all rows), the splits (a
 * stratified holdout or k folds for classes, random ones for regression) and the fitting of a
 * learner on a training part, scored on a test part next to the naive baseline. The
 * preprocessing is fitted on the rows that train (the training part less its validation rows).
 */
final class TabularExperiment {
    /** A learner's result on one split. */
    record Result(TabularLearner.Fitted fitted, Preprocessor preprocessor, Report model, Report baseline) {
    }

    private final Table table;
    private final Preprocessor.Options options;
    private final Target target;
    private final double validation;
    private final long seed;
    private final Consumer<String> warnings;

    TabularExperiment(Table table, Preprocessor.Options options, double validation, long seed, Consumer<String> warnings) {
        this.table = table;
        this.options = options;
        this.target = Preprocessor.detectTarget(table, options);
        for (int c = 0; c < table.columnCount(); c++) { // bad values fail here, counted over the whole file
            String name = table.names().get(c);
            if (!options.categorical().contains(name) && !options.ignore().contains(name)) {
                table.type(c);
            }
        }
        this.validation = validation;
        this.seed = seed;
        this.warnings = warnings;
    }

    Target target() {
        return target;
    }

    /** "classification, 10 classes" or "regression". */
    String describeTask() {
        return target.task() == Task.REGRESSION ? "regression of '" + target.name() + "'"
                : "classification of '" + target.name() + "' (" + target.classCount() + " classes)";
    }

    /** The holdout split: {@code testSize} of the rows, stratified for classes. */
    Splits.IndexSplit holdout(double testSize) {
        if (target.task() == Task.CLASSIFICATION) {
            return Splits.stratifiedIndices(stratifiableLabels(), testSize, seed);
        }
        return Splits.randomIndices(table.rowCount(), testSize, seed);
    }

    /** K folds, stratified for classes. */
    List<Splits.IndexSplit> folds(int k) {
        if (k > table.rowCount()) {
            throw new DescentException("--cv " + k + " needs at least " + k + " rows, " + table.source() + " has "
                    + table.rowCount() + "; use fewer folds");
        }
        return target.task() == Task.CLASSIFICATION ? Splits.stratifiedKFold(stratifiableLabels(), k, seed)
                : Splits.kFold(table.rowCount(), k, seed);
    }

    /** The class labels, after checking every class has at least two rows (one for each side of a split). */
    private int[] stratifiableLabels() {
        int[] labels = target.labels(table);
        int[] counts = new int[target.classCount()];
        for (int y : labels) {
            counts[y]++;
        }
        for (int r = 0; r < labels.length; r++) {
            if (counts[labels[r]] == 1) {
                throw new DescentException(table.where(r, table.column(target.name(), "target")) + ": class '"
                        + target.classes().get(labels[r]) + "' appears only once; stratified splitting needs at least"
                        + " two rows of each class; add rows of that class or remove the row");
            }
        }
        return labels;
    }

    /** Fits {@code learner} on the training rows of {@code split} and scores it on its test rows. */
    Result run(Splits.IndexSplit split, TabularLearner learner, PrintStream log) {
        Table trainPart = table.rows(split.train()), test = table.rows(split.test());
        Table fitRows = trainPart, validationRows = null;
        if (validation > 0) {
            Splits.IndexSplit inner = Splits.randomIndices(trainPart.rowCount(), validation, seed + 1);
            fitRows = trainPart.rows(inner.train());
            validationRows = trainPart.rows(inner.test());
        }
        Preprocessor pre = Preprocessor.fit(fitRows, options, target);
        TabularLearner.Encoded train = encode(pre, fitRows);
        TabularLearner.Encoded val = validationRows == null ? null : encode(pre, validationRows);
        TabularLearner.Fitted fitted = learner.fit(pre, train, val, log);
        double[][] predicted = fitted.predict(pre.inputs(test, warnings));
        return new Result(fitted, pre, report(pre, predicted, test), baseline(pre, fitRows, test));
    }

    private TabularLearner.Encoded encode(Preprocessor pre, Table rows) {
        return new TabularLearner.Encoded(pre.inputs(rows, warnings), pre.target().encode(rows));
    }

    /** The report of predictions (probabilities, or standardized values) against the test rows. */
    static Report report(Preprocessor pre, double[][] predicted, Table test) {
        Target t = pre.target();
        if (t.task() == Task.CLASSIFICATION) {
            return ClassificationReport.of(predicted, t.labels(test), t.classCount());
        }
        double[] values = new double[predicted.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.decode(predicted[i][0]);
        }
        return RegressionReport.of(values, t.values(test));
    }

    /** The naive baseline fitted on {@code train}: training class frequencies, or the training mean. */
    private static Report baseline(Preprocessor pre, Table train, Table test) {
        Target t = pre.target();
        double[][] predicted = new double[test.rowCount()][];
        if (t.task() == Task.CLASSIFICATION) {
            double[] frequencies = Baseline.classFrequencies(t.labels(train), t.classCount());
            Arrays.fill(predicted, frequencies);
        } else {
            Arrays.fill(predicted, new double[] {0}); // the training mean, standardized
        }
        return report(pre, predicted, test);
    }

    /** Whether the model's headline metric beats the baseline's. */
    static boolean beats(Report model, Report baseline) {
        Map.Entry<String, Double> first = model.metrics().entrySet().iterator().next();
        double b = baseline.metrics().get(first.getKey());
        return Report.higherIsBetter(first.getKey()) ? first.getValue() > b : first.getValue() < b;
    }

    /** "accuracy 97.50%  log_loss 0.0912 ..." */
    static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "  ").append(k).append(' ').append(formatValue(k, v)));
        return sb.toString();
    }

    static String formatValue(String metric, double v) {
        return isShare(metric) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static boolean isShare(String metric) {
        return metric.contains("accuracy") || metric.startsWith("macro_");
    }

    /** Metric → values over folds. */
    static Map<String, double[]> collect(List<Report> reports) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int f = 0; f < reports.size(); f++) {
            for (Map.Entry<String, Double> e : reports.get(f).metrics().entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> new double[reports.size()])[f] = e.getValue();
            }
        }
        return out;
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n − 1), 0 for one value. */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
