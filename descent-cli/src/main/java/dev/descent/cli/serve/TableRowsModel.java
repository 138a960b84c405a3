package dev.descent.cli.serve;

import dev.descent.DescentException;
import dev.descent.data.table.Cells;
import dev.descent.data.table.ColumnType;
import dev.descent.data.table.Preprocessor.Feature;
import dev.descent.data.table.Table;
import dev.descent.tensor.Tensor;
import dev.descent.train.Prediction;
import dev.descent.train.TableModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A model trained on a table (a network or trees). An instance is one row as a JSON object keyed
 * by column name: each input column the model was trained on must be there; other keys (an id,
 * the target) are ignored. A value is read as {@code descent predict} reads the same cell of a
 * CSV file: a number, {@code true}/{@code false}, or a string (trimmed; a numeric column also
 * takes a number written as a string, a boolean column the words yes/no and t/f); {@code null},
 * {@code ""}, {@code "NA"} and the other missing markers are a missing value, imputed as in
 * training. A category never seen in training is encoded as all zeros, as in {@code predict}.
 */
final class TableRowsModel implements ServedModel {
    private final TableModel model;
    private final List<Feature> features;
    private final List<String> columns;
    private final String spec;

    /** @param spec the network's specification, or the tree algorithm's name */
    TableRowsModel(TableModel model, String spec) {
        this.model = model;
        this.spec = spec;
        this.features = model.preprocessor().features();
        this.columns = features.stream().map(Feature::name).toList();
    }

    @Override
    public int width() {
        return model.preprocessor().width();
    }

    @Override
    public float[] encode(List<?> instances) {
        String[][] cells = new String[instances.size()][];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = row(instances.get(i), i);
        }
        int[] lines = IntStream.rangeClosed(1, cells.length).toArray(); // the instances counted from 1, as rows
        Table table = new Table("the request", columns, Map.of(), cells, lines);
        return model.encode(table, warning -> { }).toFloatArray(); // unseen categories and imputed values, as in predict
    }

    private String[] row(Object instance, int i) {
        if (!(instance instanceof Map<?, ?> values)) {
            throw new DescentException("instance " + i + ": give a table row as an object keyed by column name, "
                    + example());
        }
        List<String> absent = columns.stream().filter(c -> !values.containsKey(c)).toList();
        if (!absent.isEmpty()) {
            throw new DescentException("instance " + i + ": the column" + (absent.size() == 1 ? " " : "s ") + "'"
                    + String.join("', '", absent) + "' " + (absent.size() == 1 ? "is" : "are") + " missing; give every"
                    + " input column (null for a missing value): " + String.join(", ", columns));
        }
        String[] cells = new String[features.size()];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = cell(values.get(columns.get(c)), features.get(c), i);
        }
        return cells;
    }

    /** The text a CSV cell would hold for {@code value}, or null when missing; checked against the column's type. */
    private static String cell(Object value, Feature feature, int i) {
        String text = switch (value) {
            case null -> null;
            case String s -> Cells.normalize(s);
            case Boolean b -> b.toString();
            case Long l -> l.toString();
            case Double d -> d.toString();
            default -> throw new DescentException("instance " + i + ": column '" + feature.name() + "' holds "
                    + (value instanceof Map<?, ?> ? "an object" : "a list") + "; give a number, a string, true/false or null");
        };
        boolean fits = text == null || switch (feature.type()) {
            case NUMERIC -> Cells.isNumber(text) && Math.abs(Double.parseDouble(text)) <= Float.MAX_VALUE;
            case BOOLEAN -> Cells.isBoolean(text);
            case CATEGORICAL -> true;
        };
        if (!fits) {
            throw new DescentException("instance " + i + ": column '" + feature.name() + "' is " + (feature.type()
                    == ColumnType.NUMERIC ? "numeric; give a number within ±3.4e38 (float32)" : "boolean; give true or false")
                    + ", or null when missing; got " + (value instanceof String ? "\"" + value + "\"" : text));
        }
        return text;
    }

    private String example() {
        List<String> pairs = new ArrayList<>();
        for (Feature f : features.subList(0, Math.min(3, features.size()))) {
            pairs.add("\"" + f.name() + "\": " + switch (f.type()) {
                case NUMERIC -> "1.5";
                case BOOLEAN -> "true";
                case CATEGORICAL -> "\"" + (f.categories().isEmpty() ? "text" : f.categories().get(0)) + "\"";
            });
        }
        return "e.g. {" + String.join(", ", pairs) + (features.size() > 3 ? ", ..." : "") + "}";
    }

    @Override
    public Prediction predict(float[] rows, int n) {
        return model.predictEncoded(Tensor.wrap(rows, n, width()));
    }

    @Override
    public Map<String, Object> metadata() {
        List<Object> inputs = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("name", f.name());
            column.put("type", f.type().name().toLowerCase(Locale.ROOT));
            if (f.type() == ColumnType.CATEGORICAL) {
                column.put("categories", f.categories());
            }
            inputs.add(column);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", spec);
        m.put("task", model.task().name().toLowerCase(Locale.ROOT));
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("kind", "table");
        table.put("columns", inputs);
        m.put("inputs", table);
        m.put("target", model.preprocessor().target().name());
        m.put("classes", model.classNames());
        return m;
    }
}
