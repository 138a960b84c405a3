package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Splits;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.table.Target;
import dev.descent.data.Task;

import dev.descent.tensor.Tensor;

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
public final class TableExperiment {
    /** A learner's result on one split. */
    public record Result(Learner.Fitted fitted, Preprocessor preprocessor, Report model, Report baseline) {
    }

    private final Table table;
    private final Preprocessor.Options options;
    private final Target target;
    private final double validation;
    private final long seed;
    private final Consumer<String> warnings;

    public TableExperiment(Table table, Preprocessor.Options options, double validation, long seed, Consumer<String> warnings) {
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

    public Target target() {
        return target;
    }

    /** "classification, 10 classes" or "regression". */
    public String describeTask() {
        return target.task() == Task.REGRESSION ? "regression of '" + target.name() + "'"
                : "classification of '" + target.name() + "' (" + target.classCount() + " classes)";
    }

    /** The holdout split: {@code testSize} of the rows, stratified for classes. */
    public Splits.IndexSplit holdout(double testSize) {
        if (target.task() == Task.CLASSIFICATION) {
            return Splits.stratifiedIndices(stratifiableLabels(), testSize, seed);
        }
        return Splits.randomIndices(table.rowCount(), testSize, seed);
    }

    /** K folds, stratified for classes. */
    public List<Splits.IndexSplit> folds(int k) {
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

    /**
     * One split made ready to learn: the preprocessing fitted on the rows that train, those rows
     * and the validation rows encoded, and the test rows as they are.
     */
    public record Prepared(Preprocessor preprocessor, Table fitRows, Learner.Encoded train, Learner.Encoded validation,
                           Table test) {
        /** The scores of predictions for the test rows (probabilities, or standardized values), and the baseline's. */
        public Result score(Learner.Fitted fitted, double[][] predicted) {
            return new Result(fitted, preprocessor, report(preprocessor, predicted, test), baseline(preprocessor, fitRows, test));
        }

        /** The scores of predictions for the validation rows (what tuning ranks trials by). */
        public Report validationReport(double[][] predicted) {
            Target t = preprocessor.target();
            if (t.task() == Task.CLASSIFICATION) {
                int[] labels = new int[validation.rows()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = (int) validation.targets()[i];
                }
                return ClassificationReport.of(predicted, labels, t.classCount());
            }
            double[] values = new double[predicted.length], truth = new double[predicted.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = t.decode(predicted[i][0]);
                truth[i] = t.decode(validation.targets()[i]);
            }
            return RegressionReport.of(values, truth);
        }
    }

    /** Splits the training rows of {@code split} into rows that train and validation rows, and fits the preprocessing. */
    public Prepared prepare(Splits.IndexSplit split) {
        Table trainPart = table.rows(split.train()), test = table.rows(split.test());
        Table fitRows = trainPart, validationRows = null;
        if (validation > 0) {
            Splits.IndexSplit inner = Splits.randomIndices(trainPart.rowCount(), validation, seed + 1);
            fitRows = trainPart.rows(inner.train());
            validationRows = trainPart.rows(inner.test());
        }
        Preprocessor pre = Preprocessor.fit(fitRows, options, target);
        return new Prepared(pre, fitRows, encode(pre, fitRows), validationRows == null ? null : encode(pre, validationRows),
                test);
    }

    /** Fits {@code learner} on the training rows of {@code split} and scores it on its test rows. */
    public Result run(Splits.IndexSplit split, Learner learner, Consumer<String> log) {
        Prepared p = prepare(split);
        Learner.Fitted fitted = learner.fit(p.preprocessor(), p.train(), p.validation(), log);
        return p.score(fitted, fitted.predict(encodeInputs(p)));
    }

    /** The test rows of a prepared split encoded for the learners (unseen categories reported as warnings). */
    public Tensor encodeInputs(Prepared p) {
        return p.preprocessor().inputs(p.test(), warnings);
    }

    private Learner.Encoded encode(Preprocessor pre, Table rows) {
        return new Learner.Encoded(pre.inputs(rows, warnings), pre.target().encode(rows));
    }

    /** The report of predictions (probabilities, or standardized values) against the test rows. */
    public static Report report(Preprocessor pre, double[][] predicted, Table test) {
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
    public static boolean beats(Report model, Report baseline) {
        Map.Entry<String, Double> first = model.metrics().entrySet().iterator().next();
        double b = baseline.metrics().get(first.getKey());
        return Report.higherIsBetter(first.getKey()) ? first.getValue() > b : first.getValue() < b;
    }

    /** "accuracy 97.50%  log_loss 0.0912 ..." */
    public static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "  ").append(k).append(' ').append(formatValue(k, v)));
        return sb.toString();
    }

    public static String formatValue(String metric, double v) {
        return isShare(metric) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : String.format(Locale.ROOT, "%.4f", v);
    }

    public static boolean isShare(String metric) {
        return metric.contains("accuracy") || metric.startsWith("macro_");
    }

    /** Metric → values over folds. */
    public static Map<String, double[]> collect(List<Report> reports) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int f = 0; f < reports.size(); f++) {
            for (Map.Entry<String, Double> e : reports.get(f).metrics().entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> new double[reports.size()])[f] = e.getValue();
            }
        }
        return out;
    }

    public static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n − 1), 0 for one value. */
    public static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** "97.50 ± 1.20%" or "0.1234 ± 0.0100". */
    public static String meanStd(String metric, double[] values) {
        double mean = mean(values), std = std(values);
        return isShare(metric)
                ? String.format(Locale.ROOT, "%.2f ± %.2f%%", 100 * mean, 100 * std)
                : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
    }

    /** Logs a part's scores next to the naive baseline's, warning when the model does not beat it. */
    public static void logResult(Consumer<String> log, String part, Report model, Report baseline, int rows) {
        log.accept(String.format(Locale.ROOT, "%s (%,d rows): %s", part, rows, format(model.metrics())));
        log.accept(String.format(Locale.ROOT, "naive baseline (%s): %s", model instanceof ClassificationReport
                ? "the training class frequencies, always the majority class" : "always the training mean",
                format(baseline.metrics())));
        if (!beats(model, baseline)) {
            warnNoBetter(log);
        }
    }

    /** The warning that a model does not beat the naive baseline. */
    public static void warnNoBetter(Consumer<String> log) {
        log.accept("descent: warning: the model does not beat the naive baseline; train longer, change the model or"
                + " check the data (is the target predictable from the inputs?)");
    }

    /** Logs precision, recall and F1 of each class, and the confusion matrix. */
    public static void logClasses(Consumer<String> log, ClassificationReport c, List<String> classes) {
        int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        log.accept(String.format(Locale.ROOT, "%-" + width + "s  precision  recall     f1  support", "class"));
        long[][] m = c.confusion();
        for (int k = 0; k < classes.size(); k++) {
            long support = 0;
            for (long v : m[k]) {
                support += v;
            }
            log.accept(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d", classes.get(k), c.precision(k),
                    c.recall(k), c.f1(k), support));
        }
        log.accept(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f", "macro", c.macroPrecision(),
                c.macroRecall(), c.macroF1()));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "confusion (rows: true, columns: predicted)%n%"
                + width + "s", ""));
        for (String name : classes) {
            header.append(String.format(Locale.ROOT, " %5s", name.length() > 5 ? name.substring(0, 5) : name));
        }
        log.accept(header.toString());
        for (int k = 0; k < classes.size(); k++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", classes.get(k)));
            for (long v : m[k]) {
                row.append(String.format(Locale.ROOT, " %5d", v));
            }
            log.accept(row.toString());
        }
    }
}
