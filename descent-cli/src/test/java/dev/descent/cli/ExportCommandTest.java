package dev.descent.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.descent.data.Idx;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Table;
import dev.descent.data.table.TableReader;
import dev.descent.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code descent export --format onnx} end to end: models trained by {@code descent train}, exported,
 * run in ONNX Runtime on the raw inputs {@code descent predict} reads (MNIST test images as 0–255
 * pixels, the rows of docs/tables/people.csv and fresh.csv), and compared with what
 * {@code descent predict --json} prints for the same inputs.
 */
class ExportCommandTest {
    private static final double TOLERANCE = 1e-5;
    private static final int IMAGES = 50;
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    private static final Path TABLES = Path.of("..", "docs", "tables");
    private static Path mnist;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    private static CliTest.Run ok(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    /** Trains {@code args} into a fresh folder and exports it; returns the exported model. */
    private static Path trainAndExport(String name, String... args) throws IOException {
        Path dir = tmp.resolve(name), onnx = tmp.resolve(name + ".onnx");
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(List.of(args));
        train.addAll(List.of("--out", dir.toString(), "--no-plots", "--threads", "1"));
        ok(train.toArray(String[]::new));
        CliTest.Run export = ok("export", "--model", dir.toString(), "--format", "onnx", "--out", onnx.toString());
        assertTrue(export.out().startsWith("wrote " + onnx), export.out());
        return onnx;
    }

    private static float[][] runOnnx(Path model, Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession session = ORT.createSession(model.toString(), new OrtSession.SessionOptions());
             OrtSession.Result result = session.run(inputs)) {
            return (float[][]) result.get(0).getValue();
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static List<Map<String, Object>> jsonLines(CliTest.Run r) {
        return r.out().strip().lines().map(Json::parseObject).toList();
    }

    /** ONNX Runtime on the first test images as raw pixels against {@code predict --json --top 10} on the IDX file. */
    private static double imageDifference(String kind, Path dir, Path onnx) throws IOException, OrtException {
        List<?> classes = (List<?>) Json.parse(ModelProto.parseFrom(Files.readAllBytes(onnx)).getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("classes")).findFirst().orElseThrow().getValue());
        Path images = mnist.resolve("t10k-images-idx3-ubyte.gz");
        float[] all = Idx.read(images).toFloatArray();
        float[] pixels = Arrays.copyOf(all, IMAGES * 28 * 28);
        float[][] probabilities = runOnnx(onnx,
                Map.of("pixels", OnnxTensor.createTensor(ORT, FloatBuffer.wrap(pixels), new long[] {IMAGES, 1, 28, 28})));
        List<Map<String, Object>> predicted = jsonLines(ok("predict", "--model", dir.toString(), images.toString(),
                "--limit", String.valueOf(IMAGES), "--top", "10", "--json"));
        assertEquals(IMAGES, predicted.size());
        double max = 0;
        for (int i = 0; i < IMAGES; i++) {
            for (Object entry : (List<?>) predicted.get(i).get("top")) {
                Map<?, ?> top = (Map<?, ?>) entry;
                int c = classes.indexOf(top.get("class")); // the output column of that class name
                max = Math.max(max, Math.abs(probabilities[i][c] - Json.toDouble(top.get("probability"))));
            }
        }
        System.out.printf(Locale.ROOT, "descent export vs descent predict, %s: max |Δp| = %.3g over %d MNIST test images%n",
                kind, max, IMAGES);
        return max;
    }

    @Test
    void mnistMlpAndCnnAnswerAsPredictDoes() throws IOException, OrtException {
        String[] data = {"mnist", "--data-dir", mnist.toString(), "--limit", "500", "--epochs", "1", "--batch-size", "50"};
        Path mlp = trainAndExport("mlp", concat(data, "--layers", "32"));
        Path cnn = trainAndExport("cnn", concat(data, "--model",
                "conv(4,3,padding=1) batchnorm relu maxpool(2) conv(8,3,stride=2) batchnorm relu avgpool(2,padding=1) dropout(0.1) gap dense(10)"));
        assertTrue(imageDifference("MLP", tmp.resolve("mlp"), mlp) <= TOLERANCE);
        assertTrue(imageDifference("CNN", tmp.resolve("cnn"), cnn) <= TOLERANCE);
    }

    /** The {@code lstm} preset reads each image row by row; the export holds ONNX's LSTM node. */
    @Test
    void mnistLstmAnswersAsPredictDoes() throws IOException, OrtException {
        Path lstm = trainAndExport("lstm", "mnist", "--data-dir", mnist.toString(), "--limit", "500", "--epochs", "1",
                "--model", "lstm");
        assertTrue(ModelProto.parseFrom(Files.readAllBytes(lstm)).getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("LSTM")));
        assertTrue(imageDifference("LSTM", tmp.resolve("lstm"), lstm) <= TOLERANCE);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * ONNX Runtime on the rows of table {@code file} (numbers as doubles, NaN when missing; texts as
     * they are, "" when missing) against {@code predict --json}: the probability of every class,
     * or the predicted value relative to {@code scale}.
     */
    private static double tableDifference(Path dir, Path onnx, Path file, double scale) throws IOException, OrtException {
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(onnx));
        Table table = TableReader.read(file, CsvReader.Format.DEFAULT);
        int rows = table.rowCount();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (ValueInfoProto input : proto.getGraph().getInputList()) {
            int c = table.column(input.getName(), "input");
            if (input.getType().getTensorType().getElemType() == TensorProto.DataType.DOUBLE.getNumber()) {
                double[] x = new double[rows];
                for (int r = 0; r < rows; r++) {
                    x[r] = table.cell(r, c) == null ? Double.NaN : Double.parseDouble(table.cell(r, c));
                }
                inputs.put(input.getName(), OnnxTensor.createTensor(ORT, DoubleBuffer.wrap(x), new long[] {rows, 1}));
            } else {
                String[] x = new String[rows];
                for (int r = 0; r < rows; r++) {
                    x[r] = table.cell(r, c) == null ? "" : table.cell(r, c);
                }
                inputs.put(input.getName(), OnnxTensor.createTensor(ORT, x, new long[] {rows, 1}));
            }
        }
        float[][] onnxOut = runOnnx(onnx, inputs);
        List<Map<String, Object>> predicted = jsonLines(ok("predict", "--model", dir.toString(), file.toString(), "--json"));
        assertEquals(rows, predicted.size());
        double max = 0;
        for (int r = 0; r < rows; r++) {
            if (predicted.get(r).get("probabilities") instanceof Map<?, ?> p) {
                int k = 0;
                for (Object probability : p.values()) { // in class order, as the ONNX output
                    max = Math.max(max, Math.abs(onnxOut[r][k++] - Json.toDouble(probability)));
                }
                assertEquals(k, onnxOut[r].length);
            } else {
                double value = Double.parseDouble((String) predicted.get(r).get("prediction"));
                max = Math.max(max, Math.abs(onnxOut[r][0] - value) / scale);
            }
        }
        return max;
    }

    private static double report(String kind, double difference, String unit, String files) {
        System.out.printf(Locale.ROOT, "descent export vs descent predict, %s: max %s = %.3g on %s%n", kind, unit, difference,
                files);
        return difference;
    }

    @Test
    void tableModelsTakeRawColumnsAndAnswerAsPredictDoes() throws IOException, OrtException {
        Path people = TABLES.resolve("people.csv"), fresh = TABLES.resolve("fresh.csv");
        // binary: a categorical input (color), a boolean (member), missing incomes; fresh.csv adds an unseen
        // category and a missing value in every column
        Path binary = trainAndExport("binary", people.toString(), "--target", "label", "--ignore", "id,price", "--epochs", "5");
        double binaryDifference = Math.max(tableDifference(tmp.resolve("binary"), binary, people, 1),
                tableDifference(tmp.resolve("binary"), binary, fresh, 1));
        assertTrue(report("table, binary", binaryDifference, "|Δp|", "people.csv and fresh.csv") <= TOLERANCE);

        Path colors = trainAndExport("colors", people.toString(), "--target", "color", "--ignore", "id,price", "--epochs", "5");
        assertTrue(report("table, 3 classes", tableDifference(tmp.resolve("colors"), colors, people, 1), "|Δp|", "people.csv") <= TOLERANCE);

        Path price = trainAndExport("price", people.toString(), "--target", "price", "--ignore", "id,label", "--epochs", "5");
        double std = targetStd(tmp.resolve("price"));
        double priceDifference = Math.max(tableDifference(tmp.resolve("price"), price, people, std),
                tableDifference(tmp.resolve("price"), price, fresh, std));
        assertTrue(report("table, regression", priceDifference, "|Δ|/σ", "people.csv and fresh.csv") <= TOLERANCE);
    }

    /** Trees through ai.onnx.ml's TreeEnsembleRegressor: boosted (one tree per class and round) and single (vector leaves). */
    @Test
    void treeModelsAnswerAsPredictDoes() throws IOException, OrtException {
        Path people = TABLES.resolve("people.csv"), fresh = TABLES.resolve("fresh.csv");
        for (String algorithm : List.of("gbdt", "tree")) {
            Path binary = trainAndExport(algorithm + "-binary", people.toString(), "--target", "label", "--ignore", "id,price",
                    "--algorithm", algorithm);
            double binaryDifference = Math.max(tableDifference(tmp.resolve(algorithm + "-binary"), binary, people, 1),
                    tableDifference(tmp.resolve(algorithm + "-binary"), binary, fresh, 1));
            assertTrue(report(algorithm + ", binary", binaryDifference, "|Δp|", "people.csv and fresh.csv") <= TOLERANCE);

            Path colors = trainAndExport(algorithm + "-colors", people.toString(), "--target", "color", "--ignore", "id,price",
                    "--algorithm", algorithm);
            assertTrue(report(algorithm + ", 3 classes", tableDifference(tmp.resolve(algorithm + "-colors"), colors, people, 1),
                    "|Δp|", "people.csv") <= TOLERANCE);

            Path price = trainAndExport(algorithm + "-price", people.toString(), "--target", "price", "--ignore", "id,label",
                    "--algorithm", algorithm);
            double std = targetStd(tmp.resolve(algorithm + "-price"));
            double priceDifference = Math.max(tableDifference(tmp.resolve(algorithm + "-price"), price, people, std),
                    tableDifference(tmp.resolve(algorithm + "-price"), price, fresh, std));
            assertTrue(report(algorithm + ", regression", priceDifference, "|Δ|/σ", "people.csv and fresh.csv") <= TOLERANCE);
        }
    }

    /** The regression target's training standard deviation, from the checkpoint's config. */
    private static double targetStd(Path dir) throws IOException {
        Map<String, Object> config = Json.parseObject(Files.readString(dir.resolve("config.json")));
        return Json.toDouble(((Map<?, ?>) ((Map<?, ?>) config.get("table")).get("target")).get("std"));
    }

    private static void expectError(CliTest.Run r, String expected) {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void refusesBadInputsInOneLineAndNeverReplacesForeignFiles() throws IOException {
        Path dir = tmp.resolve("small");
        ok("train", "mnist", "--data-dir", mnist.toString(), "--limit", "100", "--epochs", "1", "--layers", "8", "--out",
                dir.toString(), "--no-plots");
        Path out = tmp.resolve("small.onnx");
        expectError(CliTest.run("export", "--model", tmp.resolve("nowhere").toString(), "--out", out.toString()),
                "no model folder at " + tmp.resolve("nowhere"));
        expectError(CliTest.run("export", "--model", dir.toString(), "--format", "tflite", "--out", out.toString()),
                "unknown --format 'tflite'; the one format is onnx");

        ok("export", "--model", dir.toString(), "--out", out.toString());
        expectError(CliTest.run("export", "--model", dir.toString(), "--out", out.toString()), "pass --overwrite to replace it");
        ok("export", "--model", dir.toString(), "--out", out.toString(), "--overwrite");

        Path notes = Files.writeString(tmp.resolve("notes.onnx"), "not a model");
        expectError(CliTest.run("export", "--model", dir.toString(), "--out", notes.toString(), "--overwrite"),
                "is not an ONNX model written by Descent");
        assertEquals("not a model", Files.readString(notes));
        expectError(CliTest.run("export", "--model", dir.toString(), "--out", tmp.toString(), "--overwrite"), "is a folder");

        Path trees = tmp.resolve("trees");
        ok("train", TABLES.resolve("people.csv").toString(), "--target", "label", "--ignore", "id,price", "--algorithm", "tree",
                "--out", trees.toString(), "--threads", "1");
        Path json = trees.resolve("trees.json"); // an XGBoost objective without an ONNX translation
        Files.writeString(json, Files.readString(json).replace("\"binary:logistic\"", "\"binary:hinge\""));
        expectError(CliTest.run("export", "--model", trees.toString(), "--out", tmp.resolve("trees.onnx").toString()),
                "the XGBoost objective 'binary:hinge' has no ONNX translation");
    }
}
