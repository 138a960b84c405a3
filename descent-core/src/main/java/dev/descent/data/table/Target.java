package dev.descent.data.table;

import dev.descent.DescentException;
import dev.descent.data.Task;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The column a model predicts and how it is encoded. Classification: the class names, in
 * order (numerically when all are numbers, else alphabetically), and the class index
 * {@code y = k} of each name. Regression: the training mean μ and standard deviation σ, the
 * network learning {@code z = (y − μ)/σ} and its outputs decoded as {@code y = μ + σ·z}.
 *
 * <p>The task is detected from the column: a categorical or boolean column, or whole numbers
 * with at most {@value #MAX_INTEGER_CLASSES} distinct values, is a classification target;
 * other numbers are a regression target.
 *
 * @param name    the target column
 * @param task    classification or regression
 * @param classes the class names (empty for regression)
 * @param mean    μ (0 for classification)
 * @param std     σ (1 for classification)
 */
public record Target(String name, Task task, List<String> classes, double mean, double std) {
    /** Whole-number targets with at most this many distinct values are taken as classes. */
    public static final int MAX_INTEGER_CLASSES = 20;

    public Target {
        classes = List.copyOf(classes);
    }

    /** The task and, for classification, the classes of column {@code name} of the whole table. */
    public static Target detect(Table table, String name, boolean categorical, Task task) {
        int column = table.column(name, "target");
        List<String> values = table.values(column);
        for (int r = 0; r < values.size(); r++) {
            if (values.get(r) == null) {
                throw new DescentException(table.where(r, column) + ": the target value is missing; fill it in or remove"
                        + " the row");
            }
        }
        ColumnType type = categorical ? ColumnType.CATEGORICAL : table.type(column);
        Set<String> distinct = new TreeSet<>(values);
        boolean integers = type == ColumnType.NUMERIC && distinct.stream().allMatch(Target::isWholeNumber);
        Task detected = type != ColumnType.NUMERIC || (integers && distinct.size() <= MAX_INTEGER_CLASSES)
                ? Task.CLASSIFICATION : Task.REGRESSION;
        Task chosen = task == null ? detected : task;
        if (chosen == Task.REGRESSION) {
            if (type != ColumnType.NUMERIC) {
                for (int r = 0; r < values.size(); r++) {
                    if (!Cells.isNumber(values.get(r))) {
                        throw new DescentException(table.where(r, column) + ": '" + values.get(r) + "' is not a number,"
                                + " so the target cannot be regressed; fix the value or use --task classification");
                    }
                }
            }
            return new Target(table.names().get(column), Task.REGRESSION, List.of(), 0, 1);
        }
        List<String> classes = new ArrayList<>(distinct);
        if (classes.stream().allMatch(Cells::isNumber)) {
            classes.sort(Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder()));
        }
        if (classes.size() < 2) {
            throw new DescentException("the target column '" + name + "' of " + table.source() + " has only one class ('"
                    + classes.get(0) + "'); a classifier needs at least two");
        }
        return new Target(table.names().get(column), Task.CLASSIFICATION, classes, 0, 1);
    }

    /** Whether the number {@code v} is whole; a number beyond the double range is not (it is refused later). */
    private static boolean isWholeNumber(String v) {
        if (!Double.isFinite(Double.parseDouble(v))) {
            return false;
        }
        try {
            return new BigDecimal(v).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException exponentBeyondInt) { // 1e-99999999999: a finite double, 0
            return false;
        }
    }

    /** This target with the regression mean and standard deviation of {@code train} (classification: unchanged). */
    Target fitted(Table train) {
        if (task == Task.CLASSIFICATION) {
            return this;
        }
        double[] y = values(train);
        double mean = 0, squares = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        for (double v : y) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / y.length);
        return new Target(name, task, classes, mean, std < 1e-12 ? 1 : std);
    }

    public int classCount() {
        return classes.size();
    }

    /** The class index of every row; fails naming the row for a missing or unknown class. */
    public int[] labels(Table table) {
        int column = table.column(name, "target");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        int[] labels = new int[table.rowCount()];
        for (int r = 0; r < labels.length; r++) {
            String v = table.cell(r, column);
            Integer k = v == null ? null : index.get(v);
            if (k == null) {
                throw new DescentException(table.where(r, column) + ": " + (v == null ? "the target value is missing"
                        : "'" + v + "' is not one of the model's classes " + classes) + "; fix the value or remove the row");
            }
            labels[r] = k;
        }
        return labels;
    }

    /** The target values of every row (regression), unscaled. */
    public double[] values(Table table) {
        int column = table.column(name, "target");
        double[] y = new double[table.rowCount()];
        for (int r = 0; r < y.length; r++) {
            String v = table.cell(r, column);
            if (v == null || !Cells.isNumber(v)) {
                throw new DescentException(table.where(r, column) + ": " + (v == null ? "the target value is missing"
                        : "'" + v + "' is not a number") + "; fix the value or remove the row");
            }
            y[r] = Cells.number(table, r, column, v);
        }
        return y;
    }

    /** What the network learns: class indices, or standardized values {@code (y − μ)/σ}. */
    public float[] encode(Table table) {
        float[] out = new float[table.rowCount()];
        if (task == Task.CLASSIFICATION) {
            int[] labels = labels(table);
            for (int i = 0; i < out.length; i++) {
                out[i] = labels[i];
            }
        } else {
            double[] y = values(table);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) ((y[i] - mean) / std);
            }
        }
        return out;
    }

    /** A standardized regression output back in the target's units, {@code μ + σ·z}. */
    public double decode(double z) {
        return mean + std * z;
    }

    Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("task", task.name().toLowerCase());
        if (task == Task.CLASSIFICATION) {
            m.put("classes", classes);
        } else {
            m.put("mean", mean);
            m.put("std", std);
        }
        return m;
    }

    static Target fromConfig(Map<String, Object> m) {
        Task task = Task.valueOf(((String) m.get("task")).toUpperCase());
        List<String> classes = task == Task.CLASSIFICATION ? Preprocessor.strings(m.get("classes")) : List.of();
        return new Target((String) m.get("name"), task, classes,
                task == Task.REGRESSION ? Preprocessor.number(m.get("mean")) : 0,
                task == Task.REGRESSION ? Preprocessor.number(m.get("std")) : 1);
    }
}
