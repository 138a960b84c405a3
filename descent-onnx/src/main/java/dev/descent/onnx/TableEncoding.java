package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.descent.data.table.Cells;
import dev.descent.data.table.ColumnType;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Preprocessor.Feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fitted table preprocessing of a {@link Preprocessor} as ONNX nodes, so raw column values
 * go in. The graph has one input per input column, named after the column, of shape
 * {@code [N, 1]}:
 * <ul>
 *   <li>a numeric column is {@code double}, NaN when missing;</li>
 *   <li>a categorical or boolean column is {@code string}, a missing value being one of the texts
 *       of {@link Cells#MISSING} (the empty string, {@code ?}, {@code NA}, ...).</li>
 * </ul>
 * They become the network input {@code [N, width]} exactly as {@link Preprocessor#inputs} encodes a
 * table: numeric {@code (x − μ)/σ} in double precision, then rounded to float, with a missing
 * value imputed by μ ({@code Where(IsNaN(x), μ, x)}); categorical one-hot in training order ({@code OneHotEncoder},
 * an unseen category all zeros), a missing value the one-hot of the most frequent training
 * category; boolean 1 for true/yes/t and 0 for false/no/f in any case ({@code LabelEncoder}; any
 * other word gives NaN), a missing value the most frequent training value; and after a column
 * that had missing values in training, its {@code NAME_missing} input, 1 where the value is missing.
 */
final class TableEncoding {
    private final OnnxGraph g;
    private final List<String> pieces = new ArrayList<>();

    private TableEncoding(OnnxGraph g) {
        this.g = g;
    }

    /** Adds the column inputs and their encoding; returns the name of the network input {@code [N, width]}. */
    static String add(OnnxGraph g, Preprocessor preprocessor) {
        TableEncoding encoding = new TableEncoding(g);
        List<Feature> features = preprocessor.features();
        features.forEach(encoding::declare); // all inputs first, so no inner tensor takes a column's name
        for (Feature f : features) {
            switch (f.type()) {
                case NUMERIC -> encoding.numeric(f);
                case CATEGORICAL -> encoding.categorical(f);
                case BOOLEAN -> encoding.bool(f);
            }
        }
        List<String> pieces = encoding.pieces;
        return pieces.size() == 1 ? pieces.get(0)
                : g.op("Concat", pieces.toArray(String[]::new)).attr("axis", 1).out("encoded_inputs");
    }

    private void declare(Feature f) {
        String doc = switch (f.type()) {
            case NUMERIC -> "numeric column '" + f.name() + "': a number (double), NaN when missing";
            case CATEGORICAL -> "categorical column '" + f.name() + "': one of " + f.categories() + missingTexts();
            case BOOLEAN -> "boolean column '" + f.name() + "': true/false, yes/no or t/f in any case" + missingTexts();
        };
        g.input(f.name(), f.type() == ColumnType.NUMERIC ? DataType.DOUBLE : DataType.STRING, doc, 1);
    }

    private static String missingTexts() {
        return "; when missing one of " + sorted(Cells.MISSING);
    }

    private void numeric(Feature f) {
        String x = f.name();
        String missing = g.op("IsNaN", x).out(f.name() + "_missing");
        String mean = g.doubleScalar(f.name() + ".mean", f.mean());
        String imputed = g.op("Where", missing, mean, x).out(f.name() + "_imputed");
        String centered = g.op("Sub", imputed, mean).out(f.name() + "_centered");
        String standardized = g.op("Div", centered, g.doubleScalar(f.name() + ".std", f.std())).out(f.name() + "_standardized");
        pieces.add(g.op("Cast", standardized).attr("to", DataType.FLOAT.getNumber()).out(f.name() + "_encoded"));
        if (f.indicator()) {
            pieces.add(g.op("Cast", missing).attr("to", DataType.FLOAT.getNumber()).out(f.name() + "_missing_indicator"));
        }
    }

    private void categorical(Feature f) {
        String x = f.name();
        String missing = missingFlag(f, x);
        int k = f.categories().size();
        if (k > 0) {
            String hot = g.ml("OneHotEncoder", x).strings("cats_strings", f.categories()).attr("zeros", 1)
                    .out(f.name() + "_one_hot_3d");
            g.describe(hot, 1, k); // ONNX 1.12's checker infers no OneHotEncoder output
            String oneHot = g.op("Reshape", hot, g.longs(f.name() + ".shape", -1, k)).out(f.name() + "_one_hot");
            if (f.fill() != null) {
                float[] fill = new float[k];
                fill[f.categories().indexOf(f.fill())] = 1;
                String imputed = g.op("Mul", missing, g.floats(f.name() + ".fill", fill, 1, k)).out(f.name() + "_fill");
                oneHot = g.op("Add", oneHot, imputed).out(f.name() + "_imputed");
            }
            pieces.add(oneHot);
        }
        indicator(f, missing);
    }

    private void bool(Feature f) {
        String x = f.name();
        String missing = missingFlag(f, x);
        List<String> keys = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (String word : Stream.concat(Cells.TRUE_WORDS.stream(), Cells.FALSE_WORDS.stream()).sorted().toList()) {
            for (String spelling : spellings(word)) {
                keys.add(spelling);
                values.add(Cells.TRUE_WORDS.contains(word) ? 1f : 0f);
            }
        }
        String value = g.ml("LabelEncoder", x).strings("keys_strings", keys).floats("values_floats", values)
                .attr("default_float", Double.NaN).out(f.name() + "_value");
        double fill = f.fill() != null && Cells.TRUE_WORDS.contains(f.fill()) ? 1 : 0;
        String isMissing = g.op("Cast", missing).attr("to", DataType.BOOL.getNumber()).out(f.name() + "_is_missing");
        pieces.add(g.op("Where", isMissing, g.scalar(f.name() + ".fill", fill), value).out(f.name() + "_imputed"));
        indicator(f, missing);
    }

    /** 1 where the text is one of {@link Cells#MISSING}, else 0: {@code [N, 1]} float. */
    private String missingFlag(Feature f, String x) {
        List<String> markers = sorted(Cells.MISSING);
        float[] ones = new float[markers.size()];
        Arrays.fill(ones, 1);
        return g.ml("LabelEncoder", x).strings("keys_strings", markers).floats("values_floats", ones)
                .attr("default_float", 0.0).out(f.name() + "_missing");
    }

    private void indicator(Feature f, String missing) {
        if (f.indicator()) {
            pieces.add(missing);
        }
    }

    /** Every upper/lower-case spelling of {@code word}: {@code t}, {@code T}. */
    private static List<String> spellings(String word) {
        List<String> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << word.length(); mask++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < word.length(); i++) {
                String c = word.substring(i, i + 1);
                s.append((mask >> i & 1) == 1 ? c.toUpperCase(Locale.ROOT) : c);
            }
            out.add(s.toString());
        }
        return out;
    }

    private static List<String> sorted(Set<String> texts) {
        return texts.stream().sorted().toList();
    }
}
