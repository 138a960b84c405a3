package dev.descent.data.table;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import dev.descent.data.Task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns a table into network inputs, with statistics fitted on the training rows only and
 * stored in the checkpoint ({@link #toConfig()}, {@link #fromConfig(Map)}), so that new files
 * are encoded exactly as the training data were. Columns are found by name, so a new file may
 * order them differently and hold extra columns. Each input column becomes:
 * <ul>
 *   <li>numeric: {@code (x − mean)/std} (a constant column, std 0, becomes 0);</li>
 *   <li>categorical: one-hot, one 0/1 column per training category in sorted order; a category
 *       never seen in training becomes all zeros, with a warning;</li>
 *   <li>boolean: one column, 1 for true/yes/t and 0 for false/no/f.</li>
 * </ul>
 * A missing value is imputed (numeric: the training mean, so 0 after scaling; otherwise the
 * most frequent training value), and a column that had missing values in training gets one
 * more input, {@code NAME_missing}, 1 where the value was missing. With
 * {@link MissingPolicy#ERROR} a missing value is rejected naming its row and column.
 */
public final class Preprocessor {
    /** What to do with a missing input value. */
    public enum MissingPolicy {
        /** Impute it (mean or most frequent value) and mark it in a {@code _missing} column. */
        IMPUTE,
        /** Reject the table, naming the row and column. */
        ERROR
    }

    /**
     * How to read the table's columns.
     *
     * @param target      the column to predict ({@code last}: the last column)
     * @param categorical columns to treat as categories even when their values are numbers
     * @param ignore      columns to leave out (ids, free text)
     * @param missing     what to do with missing input values
     * @param task        classification or regression, or null to detect it from the target
     */
    public record Options(String target, Set<String> categorical, Set<String> ignore, MissingPolicy missing, Task task) {
        public Options {
            categorical = Set.copyOf(categorical);
            ignore = Set.copyOf(ignore);
        }
    }

    /**
     * The encoding of one input column.
     *
     * @param name       the column name
     * @param type       how it is encoded
     * @param mean       training mean (numeric; the imputed value)
     * @param std        training standard deviation, 1 for a constant column (numeric)
     * @param categories training categories in one-hot order (categorical)
     * @param fill       most frequent training value, imputed when missing (categorical, boolean)
     * @param indicator  whether a {@code NAME_missing} input follows
     */
    public record Feature(String name, ColumnType type, double mean, double std, List<String> categories, String fill,
                   boolean indicator) {
        int width() {
            return (type == ColumnType.CATEGORICAL ? categories.size() : 1) + (indicator ? 1 : 0);
        }
    }

    private final List<Feature> features;
    private final Target target;
    private final MissingPolicy missing;

    private Preprocessor(List<Feature> features, Target target, MissingPolicy missing) {
        this.features = List.copyOf(features);
        this.target = target;
        this.missing = missing;
    }

    /** The target of {@code whole} (task and class list, detected on all rows) under {@code options}. */
    public static Target detectTarget(Table whole, Options options) {
        int column = whole.column(options.target(), "target");
        String name = whole.names().get(column);
        return Target.detect(whole, name, options.categorical().contains(name), options.task());
    }

    /** Fits the input statistics (and a regression target's mean and std) on the training rows. */
    public static Preprocessor fit(Table train, Options options, Target target) {
        for (String name : options.categorical()) {
            train.column(name, "--categorical");
        }
        for (String name : options.ignore()) {
            train.column(name, "--ignore");
        }
        int targetColumn = train.column(target.name(), "target");
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < train.columnCount(); c++) {
            String name = train.names().get(c);
            if (c == targetColumn || options.ignore().contains(name)) {
                continue;
            }
            ColumnType type = options.categorical().contains(name) ? ColumnType.CATEGORICAL : train.type(c);
            features.add(fitColumn(train, c, type, options.missing()));
        }
        if (features.isEmpty()) {
            throw new DescentException(train.source() + " has no input columns besides the target '" + target.name()
                    + "'; give the table some input columns (check --ignore)");
        }
        return new Preprocessor(features, target.fitted(train), options.missing());
    }

    private static Feature fitColumn(Table train, int c, ColumnType type, MissingPolicy policy) {
        String name = train.names().get(c);
        List<String> values = train.values(c);
        int missingCount = 0;
        for (int r = 0; r < values.size(); r++) {
            if (values.get(r) == null) {
                if (policy == MissingPolicy.ERROR) {
                    throw missingValue(train, r, c);
                }
                missingCount++;
            }
        }
        boolean indicator = missingCount > 0;
        if (type == ColumnType.NUMERIC) {
            double sum = 0, squares = 0;
            int n = 0;
            for (int r = 0; r < values.size(); r++) {
                if (values.get(r) != null) {
                    sum += parseNumber(train, r, c);
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            for (int r = 0; r < values.size(); r++) {
                if (values.get(r) != null) {
                    double d = parseNumber(train, r, c) - mean;
                    squares += d * d;
                }
            }
            double std = n == 0 ? 0 : Math.sqrt(squares / n);
            return new Feature(name, type, mean, std < 1e-12 ? 1 : std, List.of(), null, indicator);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int r = 0; r < values.size(); r++) {
            String v = values.get(r);
            if (v != null) {
                counts.merge(type == ColumnType.BOOLEAN ? booleanWord(train, r, c) : v, 1, Integer::sum);
            }
        }
        String fill = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        List<String> categories = type == ColumnType.CATEGORICAL ? new ArrayList<>(counts.keySet()) : List.of();
        return new Feature(name, type, 0, 1, categories, fill, indicator);
    }

    public Target target() {
        return target;
    }

    /** The encoding of each input column, in the order of the network inputs. */
    public List<Feature> features() {
        return features;
    }

    public Task task() {
        return target.task();
    }

    /** The number of network inputs, Σ over columns of each one's width. */
    public int width() {
        return features.stream().mapToInt(Feature::width).sum();
    }

    /** The name of every network input: {@code age}, {@code color=red}, {@code age_missing}. */
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (Feature f : features) {
            if (f.type() == ColumnType.CATEGORICAL) {
                f.categories().forEach(k -> names.add(f.name() + "=" + k));
            } else {
                names.add(f.name());
            }
            if (f.indicator()) {
                names.add(f.name() + "_missing");
            }
        }
        return names;
    }

    /**
     * The network inputs {@code [rows, width()]} of {@code table}. Problems a model can live
     * with (unseen categories, missing values in a column that had none in training) are
     * reported once per column to {@code warnings}; values of the wrong kind fail naming the
     * row and column.
     */
    public Tensor inputs(Table table, Consumer<String> warnings) {
        int rows = table.rowCount(), width = width();
        float[] x = new float[rows * width];
        int offset = 0;
        for (Feature f : features) {
            int c = table.column(f.name(), "input");
            int unseen = 0, imputed = 0;
            Set<String> unseenExamples = new LinkedHashSet<>();
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < f.categories().size(); k++) {
                index.put(f.categories().get(k), k);
            }
            for (int r = 0; r < rows; r++) {
                String v = table.cell(r, c);
                int at = r * width + offset;
                if (v == null) {
                    if (missing == MissingPolicy.ERROR) {
                        throw missingValue(table, r, c);
                    }
                    imputed++;
                    if (f.indicator()) {
                        x[at + f.width() - 1] = 1;
                    }
                    v = f.type() == ColumnType.NUMERIC ? null : f.fill();
                    if (v == null) {
                        continue; // numeric mean imputation: (mean − mean)/std = 0
                    }
                }
                switch (f.type()) {
                    case NUMERIC -> x[at] = (float) ((parseNumber(table, r, c) - f.mean()) / f.std());
                    case BOOLEAN -> x[at] = (float) Cells.booleanValue(booleanWord(table, r, c, v));
                    case CATEGORICAL -> {
                        Integer k = index.get(v);
                        if (k != null) {
                            x[at + k] = 1;
                        } else {
                            unseen++;
                            if (unseenExamples.size() < 3) {
                                unseenExamples.add(v);
                            }
                        }
                    }
                }
            }
            if (unseen > 0) {
                warnings.accept(String.format(Locale.ROOT, "column '%s': %d row%s of %s %s a category not seen in training"
                                + " (%s); encoded as all zeros", f.name(), unseen, unseen == 1 ? "" : "s", table.source(),
                        unseen == 1 ? "has" : "have", "'" + String.join("', '", unseenExamples) + "'"
                                + (unseen > unseenExamples.size() ? ", ..." : "")));
            }
            if (imputed > 0 && !f.indicator()) {
                warnings.accept(String.format(Locale.ROOT, "column '%s': %d missing value%s in %s, none in training;"
                                + " imputed with the training %s", f.name(), imputed, imputed == 1 ? "" : "s", table.source(),
                        f.type() == ColumnType.NUMERIC ? "mean" : "most frequent value '" + f.fill() + "'"));
            }
            offset += f.width();
        }
        return Tensor.wrap(x, rows, width);
    }

    private static DescentException missingValue(Table table, int r, int c) {
        return new DescentException(table.where(r, c) + ": the value is missing and --missing error is set; fill it in,"
                + " or use --missing impute");
    }

    private static double parseNumber(Table table, int r, int c) {
        String v = table.cell(r, c);
        if (!Cells.isNumber(v)) {
            throw new DescentException(table.where(r, c) + ": '" + v + "' is not a number, but the column is numeric;"
                    + " fix the value, or pass --categorical " + table.names().get(c) + " to treat the column as categories");
        }
        return Cells.number(table, r, c, v);
    }

    private static String booleanWord(Table table, int r, int c) {
        return booleanWord(table, r, c, table.cell(r, c));
    }

    private static String booleanWord(Table table, int r, int c, String v) {
        if (!Cells.isBoolean(v)) {
            throw new DescentException(table.where(r, c) + ": '" + v + "' is not true/false, yes/no or t/f, but the column"
                    + " is boolean; fix the value, or pass --categorical " + table.names().get(c));
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /** The description stored in a checkpoint's config.json. */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target.toConfig());
        m.put("missing", missing.name().toLowerCase(Locale.ROOT));
        List<Object> list = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("type", f.type().name().toLowerCase(Locale.ROOT));
            switch (f.type()) {
                case NUMERIC -> {
                    fm.put("mean", f.mean());
                    fm.put("std", f.std());
                }
                case CATEGORICAL -> fm.put("categories", f.categories());
                case BOOLEAN -> { }
            }
            if (f.fill() != null) {
                fm.put("fill", f.fill());
            }
            fm.put("missing_indicator", f.indicator());
            list.add(fm);
        }
        m.put("features", list);
        return m;
    }

    /** Rebuilds the preprocessor {@link #toConfig()} described (as parsed back from JSON). */
    @SuppressWarnings("unchecked")
    public static Preprocessor fromConfig(Map<String, Object> config) {
        try {
            Target target = Target.fromConfig((Map<String, Object>) config.get("target"));
            MissingPolicy missing = MissingPolicy.valueOf(((String) config.get("missing")).toUpperCase(Locale.ROOT));
            List<Feature> features = new ArrayList<>();
            for (Object o : (List<Object>) config.get("features")) {
                Map<String, Object> fm = (Map<String, Object>) o;
                ColumnType type = ColumnType.valueOf(((String) fm.get("type")).toUpperCase(Locale.ROOT));
                boolean numeric = type == ColumnType.NUMERIC;
                features.add(new Feature((String) fm.get("name"), type, numeric ? number(fm.get("mean")) : 0,
                        numeric ? number(fm.get("std")) : 1,
                        type == ColumnType.CATEGORICAL ? strings(fm.get("categories")) : List.of(),
                        (String) fm.get("fill"), Boolean.TRUE.equals(fm.get("missing_indicator"))));
            }
            return new Preprocessor(features, target, missing);
        } catch (RuntimeException e) {
            if (e instanceof DescentException d) {
                throw d;
            }
            throw new DescentException("the checkpoint's table preprocessing is not valid (" + e + "); re-train the model", e);
        }
    }

    static double number(Object o) {
        return Json.toDouble(o);
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object v : (List<?>) o) {
            out.add((String) v);
        }
        return Collections.unmodifiableList(out);
    }
}
