package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.descent.DescentException;
import dev.descent.data.Normalizer;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.data.Task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained model as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION},
 * plus {@code ai.onnx.ml} {@value #ML_OPSET} for table encodings and trees) that takes the raw
 * input {@code descent predict} takes and holds the model's own preprocessing:
 * <ul>
 *   <li>images: the input {@value #IMAGE_INPUT} {@code [N, C, H, W]} of pixel values 0–255 (float),
 *       divided by 255 and standardized with the stored normalizer, {@code (x/255 − μ)/σ}; other
 *       arrays (a model trained on vectors through the Java API): the input {@value #ARRAY_INPUT},
 *       {@code (x − μ)/σ};</li>
 *   <li>tables: one input per column, encoded as {@link TableEncoding} says;</li>
 *   <li>token sequences (a network starting with an embedding): the input {@value #TOKEN_INPUT}
 *       {@code [N, T]} of int64 ids, T free.</li>
 * </ul>
 * The scorer follows, a network ({@link NetworkGraph}) or XGBoost trees ({@link TreeEnsembleGraph}),
 * then the head of {@code descent predict}: for classification the output {@value #PROBABILITIES}
 * {@code [N, classes]} (a token model scoring every step: {@code [N, T, classes]}), the softmax of the scores, or for one score z the pair
 * {@code [1 − σ(z), σ(z)]}; for regression the output {@value #VALUES} {@code [N, outputs]},
 * {@code μ + σ·z} with the target's training mean and standard deviation for a table model. The
 * model's doc string is the specification, and its metadata_props hold {@code descent_version},
 * {@code task}, for classification {@code classes} (a JSON list of the class names in output
 * order), for tables {@code target}, and for a character model {@code vocabulary} (a JSON list of its
 * characters in id order).
 */
public final class OnnxExporter {
    /** The ONNX operator set the graph uses. */
    public static final int OPSET = 17;
    /** The version of the ONNX-ML operators of table models (LabelEncoder, OneHotEncoder, TreeEnsembleRegressor). */
    public static final int ML_OPSET = 3;
    /** ONNX IR version 8, which ONNX 1.10 and later read. */
    public static final int IR_VERSION = 8;
    /** The name written as the model's producer; an existing file is Descent's when it says this. */
    public static final String PRODUCER = "Descent";
    /** The input of an image model: raw pixel values 0–255. */
    public static final String IMAGE_INPUT = "pixels";
    /** The input of a model trained on other arrays (vectors) through the Java API. */
    public static final String ARRAY_INPUT = "input";
    /** The input of a model that starts with an embedding: token ids {@code [N, T]}. */
    public static final String TOKEN_INPUT = "tokens";
    public static final String PROBABILITIES = "probabilities";
    public static final String VALUES = "values";

    private OnnxExporter() {
    }

    /**
     * The ONNX model of {@code model} (a network is switched to evaluation mode); {@code descentVersion}
     * goes into its metadata. A layer or tree model without an ONNX translation is a {@link DescentException}.
     */
    public static ModelProto export(ExportableModel model, String descentVersion) {
        OnnxGraph g = new OnnxGraph("descent");
        String output = model.task() == Task.CLASSIFICATION ? PROBABILITIES : VALUES;
        g.reserve(output);
        String x;
        int[] exampleShape;
        switch (model.input()) {
            case ExportableModel.ArrayInput arrays -> {
                exampleShape = arrays.shape();
                x = arrays(g, arrays);
            }
            case ExportableModel.TableInput table -> {
                x = TableEncoding.add(g, table.preprocessor());
                exampleShape = new int[] {table.preprocessor().width()};
            }
            case ExportableModel.TokenInput tokens -> {
                x = g.input(TOKEN_INPUT, DataType.INT64, "token ids 0..V-1, one sequence per row, of any length",
                        List.of(OnnxGraph.BATCH, OnnxGraph.TIME));
                exampleShape = new int[] {tokens.steps()};
            }
        }
        Scores scores = switch (model.scorer()) {
            case ExportableModel.Network network -> NetworkGraph.add(g, network.module(), x, exampleShape);
            case ExportableModel.Trees trees -> TreeEnsembleGraph.add(g, trees.xgboostJson(), x);
        };
        boolean perStep = model.input() instanceof ExportableModel.TokenInput && scores.exampleShape().rank() == 2;
        if (scores.exampleShape().rank() != 1 && !perStep) {
            throw new DescentException("the network answers " + scores.exampleShape() + " per example; ONNX export wants"
                    + " one vector of outputs per example (end the model with dense(...))");
        }
        int width = head(g, model, scores.tensor(), scores.exampleShape().dim(scores.exampleShape().rank() - 1), output);

        ModelProto.Builder proto = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName(PRODUCER)
                .setProducerVersion(descentVersion).setDocString(model.specification())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (g.usesMl()) {
            proto.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(OnnxGraph.ML_DOMAIN).setVersion(ML_OPSET));
        }
        metadata(model, descentVersion).forEach((k, v) ->
                proto.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        g.output(output, model.task() == Task.CLASSIFICATION ? "class probabilities, in the order of metadata 'classes'"
                : "predicted values", perStep ? List.of(OnnxGraph.BATCH, OnnxGraph.TIME) : List.of(OnnxGraph.BATCH), width);
        return proto.setGraph(g.build()).build();
    }

    /**
     * {@code (x/255 − μ)/σ} for pixels, {@code (x − μ)/σ} for other arrays, broadcast: one μ and σ
     * (global) or one per element of an example (per feature, shape {@code [1, shape...]}).
     */
    private static String arrays(OnnxGraph g, ExportableModel.ArrayInput arrays) {
        int[] shape = arrays.shape();
        String scaled = arrays.pixels()
                ? g.op("Div", g.input(IMAGE_INPUT, DataType.FLOAT, "raw pixel values 0-255, shaped as the model's input",
                        shape), g.scalar("pixel_max", 255)).out("scaled")
                : g.input(ARRAY_INPUT, DataType.FLOAT, "one example per row, shaped as the model's input", shape);
        Normalizer n = arrays.normalizer();
        if (n == null) {
            return scaled;
        }
        String mean, std;
        if (n.mode() == Normalizer.Mode.GLOBAL) {
            mean = g.scalar("normalizer.mean", n.mean()[0]);
            std = g.scalar("normalizer.std", n.std()[0]);
        } else {
            long[] dims = new long[shape.length + 1];
            dims[0] = 1;
            for (int i = 0; i < shape.length; i++) {
                dims[i + 1] = shape[i];
            }
            mean = g.floats("normalizer.mean", toFloats(n.mean()), dims);
            std = g.floats("normalizer.std", toFloats(n.std()), dims);
        }
        return g.op("Div", g.op("Sub", scaled, mean).out("centered"), std).out("normalized");
    }

    /** Adds the output node; returns the output width. */
    private static int head(OnnxGraph g, ExportableModel model, String z, int outputs, String output) {
        if (model.task() == Task.REGRESSION) {
            if (model.targetMean() == 0 && model.targetStd() == 1) {
                g.op("Identity", z).outputAs(output);
            } else {
                String scaled = g.op("Mul", z, g.scalar("target.std", model.targetStd())).out("scaled_values");
                g.op("Add", scaled, g.scalar("target.mean", model.targetMean())).outputAs(output);
            }
            return outputs;
        }
        int classes = outputs == 1 ? 2 : outputs;
        if (classes != model.classes().size()) {
            throw new DescentException("the network has " + outputs + " outputs but the model has " + model.classes().size()
                    + " classes; re-train the model with one output per class (one for two classes)");
        }
        if (outputs == 1) {
            String p = g.op("Sigmoid", z).out("positive");
            String q = g.op("Sub", g.scalar("one", 1), p).out("negative");
            g.op("Concat", q, p).attr("axis", -1).outputAs(output);
        } else {
            g.op("Softmax", z).attr("axis", -1).outputAs(output);
        }
        return classes;
    }

    private static Map<String, String> metadata(ExportableModel model, String descentVersion) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("descent_version", descentVersion);
        m.put("task", model.task().name().toLowerCase());
        if (model.task() == Task.CLASSIFICATION) {
            m.put("classes", Json.write(model.classes()));
        }
        if (model.input() instanceof ExportableModel.TableInput table) {
            m.put("target", table.preprocessor().target().name());
        }
        if (model.input() instanceof ExportableModel.TokenInput tokens && !tokens.vocabulary().isEmpty()) {
            m.put("vocabulary", Json.write(tokens.vocabulary()));
        }
        return m;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /**
     * Writes {@code model} to {@code file} atomically. An existing file is replaced only when
     * it is an ONNX model Descent wrote ({@link #isDescentModel}) and {@code overwrite} is set; a
     * folder, or a file Descent did not write, is never replaced.
     */
    public static void write(ModelProto model, Path file, boolean overwrite) {
        if (Files.isDirectory(file)) {
            throw new DescentException(file + " is a folder; give a file name for the model, like " + file.resolve("model.onnx"));
        }
        if (Files.exists(file)) {
            if (!isDescentModel(file)) {
                throw new DescentException(file + " exists and is not an ONNX model written by Descent, so it is left alone;"
                        + " choose another output file");
            }
            if (!overwrite) {
                throw new DescentException(file + " exists (an ONNX model written by Descent); pass --overwrite to replace"
                        + " it, or choose another output file");
            }
        }
        AtomicFiles.write(file, model::writeTo);
    }

    /** Whether {@code file} reads as an ONNX model whose producer is {@value #PRODUCER}. */
    public static boolean isDescentModel(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return PRODUCER.equals(ModelProto.parseFrom(in).getProducerName());
        } catch (InvalidProtocolBufferException e) {
            return false;
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); check its permissions", e);
        }
    }
}
