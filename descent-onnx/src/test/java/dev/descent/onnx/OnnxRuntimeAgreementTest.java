package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import dev.descent.data.Task;
import dev.descent.data.table.Cells;
import dev.descent.data.table.ColumnType;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.text.TextCorpus;
import dev.descent.data.text.Vocabulary;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.Prediction;
import dev.descent.train.Setting;
import dev.descent.train.TableModel;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingRun;
import dev.descent.train.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of network, trained for a few steps through the core's API, saved, read back by
 * {@link CheckpointAdapter}, exported and run in ONNX Runtime on real test examples: the
 * runtime's outputs for the raw inputs must equal Descent's predictions for the same raw inputs
 * to within {@value #TOLERANCE} (probabilities; regression values relative to the target's scale).
 */
class OnnxRuntimeAgreementTest {
    static final double TOLERANCE = 1e-5;
    private static final int TEST_IMAGES = 200;
    private static Mnist.Split mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadMnist() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        Path folder = root == null ? null : Path.of(root, "mnist");
        assertTrue(folder != null && Files.isDirectory(folder), "MNIST is needed: set DESCENT_DATA to a folder holding mnist/");
        mnist = Mnist.load(folder);
    }

    /** Leaves the model in target/exported-models/ for scripts/onnx_check.py (ONNX's own checker). */
    private static void keep(String kind, ModelProto proto) {
        OnnxExporter.write(proto, Path.of("target", "exported-models", kind.replaceAll("[^a-zA-Z0-9]+", "-") + ".onnx"), true);
    }

    /** The exported model of the run folder {@code dir}, kept for the checker. */
    private static ModelProto export(String kind, Path dir) {
        ModelProto proto = OnnxExporter.export(CheckpointAdapter.read(dir), "test");
        keep(kind, proto);
        return proto;
    }

    private static double maxDifference(float[][] onnx, float[][] descent) {
        return OnnxRuntimeRunner.maxDifference(onnx, Tensor.of(descent));
    }

    /** A classifier trained for one epoch on 512 MNIST images (8 steps of Adam), saved in {@code dir}. */
    private static Model trainOnMnist(String spec, Path dir) {
        Model model = Model.classifier(spec);
        model.fit(mnist.train().slice(0, 512), TrainingSettings.defaults().epochs(1).batchSize(64).seed(7).validation(0));
        model.save(dir);
        return model;
    }

    /** The largest difference between ONNX Runtime on raw test pixels (0–255) and {@code predict} on the same pixels / 255. */
    private double imageDifference(String kind, String spec) throws OrtException {
        Path dir = tmp.resolve(kind);
        Model model = trainOnMnist(spec, dir);
        float[] scaled = mnist.test().slice(0, TEST_IMAGES).inputs().toFloatArray();
        float[] raw = new float[scaled.length], predictInput = new float[scaled.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.round(scaled[i] * 255);
            predictInput[i] = raw[i] / 255f; // as descent predict reads an image
        }
        float[][] onnx = OnnxRuntimeRunner.run(export(kind, dir),
                Map.of(OnnxExporter.IMAGE_INPUT, OnnxRuntimeRunner.floats(raw, TEST_IMAGES, 1, 28, 28)));
        float[][] descent = model.predict(Tensor.wrap(predictInput, TEST_IMAGES, 1, 28, 28)).probabilities();
        double difference = maxDifference(onnx, descent);
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, %s: max |Δp| = %.3g over %d MNIST test images%n",
                kind, difference, TEST_IMAGES);
        return difference;
    }

    @Test
    void mlpWithEveryActivationDropoutAndNorms() throws OrtException {
        assertTrue(imageDifference("MLP", "flatten dense(32) relu dropout(0.2) dense(32) leaky_relu(0.1) dense(32) elu(0.5)"
                + " dense(32) gelu batchnorm dense(32) silu dense(32) sigmoid layernorm dense(32) tanh dense(10) log_softmax")
                <= TOLERANCE);
    }

    @Test
    void cnnWithBatchNormPoolsAndGlobalPooling() throws OrtException {
        assertTrue(imageDifference("CNN", "conv(8,3,padding=1) batchnorm relu maxpool(2)"
                + " conv(16,3,stride=2,padding=1,groups=2,bias=false) batchnorm(affine=false) silu avgpool(3,stride=1,padding=1)"
                + " conv(16,3,dilation=2,padding=same) relu dropout(0.25) maxpool(3,stride=2,padding=1) gap dense(10)")
                <= TOLERANCE);
    }

    @Test
    void lenetStyleCnnWithLayerNormAndDenseOverImageRows() throws OrtException {
        assertTrue(imageDifference("CNN with layer norm", "dense(16) gelu conv(6,5,padding=2) tanh avgpool(2)"
                + " layernorm(affine=false) flatten dense(32) relu dense(10) softmax") <= TOLERANCE);
    }

    /** Each recurrent cell reads every MNIST image row by row: 28 steps of 28 pixels. */
    @Test
    void everyCellOverImageRows() throws OrtException {
        for (String cell : List.of("RNN", "LSTM", "GRU")) {
            assertTrue(imageDifference(cell, cell.toLowerCase(Locale.ROOT) + "(16) dense(10)") <= TOLERANCE, cell);
        }
    }

    @Test
    void bidirectionalLayers() throws OrtException {
        assertTrue(imageDifference("bidirectional LSTM", "lstm(12,bidirectional=true) dense(10)") <= TOLERANCE);
        assertTrue(imageDifference("bidirectional GRU", "gru(12,bidirectional=true) dense(10)") <= TOLERANCE);
    }

    /** Two and three stacked layers (dropout between them in training), bidirectional: every layer reads the last one's steps. */
    @Test
    void stackedLayers() throws OrtException {
        assertTrue(imageDifference("stacked GRU", "gru(12,layers=2,dropout=0.2) dense(10)") <= TOLERANCE);
        assertTrue(imageDifference("stacked bidirectional RNN", "rnn(8,layers=3,bidirectional=true) dense(10)")
                <= TOLERANCE);
    }

    /** Every step's outputs to the next layers: a second recurrent layer, then dense layers over the flattened steps. */
    @Test
    void sequencesIntoDenseLayers() throws OrtException {
        assertTrue(imageDifference("LSTM steps into GRU and dense", "lstm(12,seq=true,bidirectional=true)"
                + " gru(8,seq=true) dense(4) relu flatten dense(10)") <= TOLERANCE);
    }

    /**
     * A character model ({@code embedding lstm(seq) dense(V)}) trained for a few steps on the
     * windows of a real text (docs/onnx.md), saved with its vocabulary in the config as a text
     * model is: the export reads int64 {@code tokens} of any length and answers every step's
     * probabilities over the vocabulary {@code [N, T, V]}, the characters in its metadata.
     */
    @Test
    void characterModelReadsTokensAndAnswersEveryStep() throws IOException, OrtException {
        TextCorpus corpus = TextCorpus.of(Files.readString(Path.of("..", "docs", "onnx.md")));
        Vocabulary vocabulary = corpus.vocabulary();
        int v = vocabulary.size(), steps = 32;
        ModelSpec spec = ModelSpec.parse("embedding(" + v + ",8) lstm(32,seq=true) dense(" + v + ")");
        Sequential network = spec.build(new int[] {steps}, new SplittableRandom(5));
        new Trainer(network, Loss.softmaxCrossEntropy(),
                new Optimizer(OptimizerRegistry.create("adam", Map.of("lr", 1e-2)), network))
                .epochs(1).batchSize(32).seed(5).maxSteps(30).task(Task.REGRESSION).fit(corpus.trainingWindows(steps), null);
        Path dir = tmp.resolve("characters");
        Map<String, Object> config = new LinkedHashMap<>(Map.of("model", spec.toString(), "input_shape", List.of(steps),
                "task", "classification", "classes", v));
        config.put("vocabulary", vocabulary.toConfig());
        Checkpoint.of(network.namedTensors(), config, null).save(dir);
        ModelProto proto = export("characters", dir);

        List<String> characters = IntStream.range(0, v).mapToObj(vocabulary::character).toList();
        assertEquals(Json.write(characters), proto.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("vocabulary")).findFirst().orElseThrow().getValue());
        network.eval();
        double max = 0;
        for (int length : new int[] {steps, 75}) { // the training length and another one: T is free
            Tensor windows = corpus.validationWindows(length).inputs(); // the held-out tenth of the text
            long[] ids = Arrays.stream(windows.toDoubleArray()).mapToLong(id -> (long) id).toArray();
            float[][][] onnx = OnnxRuntimeRunner.runSteps(proto,
                    Map.of(OnnxExporter.TOKEN_INPUT, OnnxRuntimeRunner.longs(ids, windows.dim(0), length)));
            max = Math.max(max, OnnxRuntimeRunner.maxDifference(onnx, network.forward(windows).softmax(2)));
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, characters: max |Δp| = %.3g over the held-out windows of"
                + " %d and of 75 characters, %d-character vocabulary%n", max, steps, v);
        assertTrue(max <= TOLERANCE);
    }

    /** A network trained on vectors through the Java API takes its raw numbers (no pixel scaling), standardized per feature. */
    @Test
    void vectorModelTakesRawNumbers() throws OrtException {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 300;
        float[] x = new float[n * 5], y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = (float) (100 * j + (j + 1) * rng.nextGaussian());
            }
            y[i] = x[i * 5] + x[i * 5 + 1] > 100 ? 1 : 0;
        }
        Model model = Model.classifier("dense(8) tanh dense(2)");
        model.fit(new Dataset(Tensor.wrap(x, n, 5), Tensor.wrap(y, n)), TrainingSettings.defaults().epochs(2).seed(3)
                .validation(0));
        Path dir = tmp.resolve("vectors");
        model.save(dir);
        float[][] onnx = OnnxRuntimeRunner.run(export("vectors", dir),
                Map.of(OnnxExporter.ARRAY_INPUT, OnnxRuntimeRunner.floats(x, n, 5)));
        double difference = maxDifference(onnx, model.predict(Tensor.wrap(x, n, 5)).probabilities());
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, vectors: max |Δp| = %.3g over %d rows%n", difference, n);
        assertTrue(difference <= TOLERANCE);
    }

    /**
     * 300 rows: a numeric column {@code age}, a numeric {@code income} with missing values, a
     * categorical {@code color} and a boolean {@code member} (several spellings), both with missing
     * values, and three targets: binary {@code label}, three-class {@code grade}, numeric
     * {@code price}; then three rows the training never saw.
     */
    private static String people() {
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder sb = new StringBuilder("age,income,color,member,label,grade,price\n");
        String[] colors = {"red", "green", "blue"}, members = {"yes", "no", "YES", "No", "t", "F", "true", "False"};
        for (int i = 0; i < 300; i++) {
            double age = rng.nextDouble(20, 70), income = 50 + 10 * rng.nextGaussian();
            String color = colors[rng.nextInt(3)], member = members[rng.nextInt(members.length)];
            double z = 0.08 * (age - 45) + (color.equals("red") ? 1.2 : -0.5) + 0.5 * rng.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%.1f,%s,%s,%s,%s,%s,%.2f%n", age,
                    rng.nextDouble() < 0.1 ? "" : String.format(Locale.ROOT, "%.2f", income),
                    rng.nextDouble() < 0.1 ? "NA" : color, rng.nextDouble() < 0.1 ? "?" : member,
                    z > 0 ? "good" : "bad", z < -0.5 ? "low" : z < 0.5 ? "mid" : "high", 3 * age + 2 * income + 5 * rng.nextGaussian()));
        }
        return sb.toString();
    }

    /** Rows the training never saw: an unseen category, a boolean spelled oddly, missing values in every column. */
    private static final String FRESH = "age,income,color,member\n33,,purple,tRuE\n,55,red,\n60,40,,N/A\n";

    /** The graph inputs for every row of {@code table}: doubles with NaN, or texts with a missing marker, per column. */
    private static Map<String, OnnxTensor> columns(Preprocessor p, Table table) throws OrtException {
        List<String> markers = Cells.MISSING.stream().sorted().toList();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        int rows = table.rowCount();
        for (Preprocessor.Feature f : p.features()) {
            int c = table.column(f.name(), "input");
            if (f.type() == ColumnType.NUMERIC) {
                double[] x = new double[rows];
                for (int r = 0; r < rows; r++) {
                    String v = table.cell(r, c);
                    x[r] = v == null ? Double.NaN : Double.parseDouble(v);
                }
                inputs.put(f.name(), OnnxRuntimeRunner.doubles(x, rows, 1));
            } else {
                String[] x = new String[rows];
                for (int r = 0; r < rows; r++) {
                    String v = table.cell(r, c);
                    x[r] = v == null ? markers.get(r % markers.size()) : v; // every missing marker in turn
                }
                inputs.put(f.name(), OnnxRuntimeRunner.strings(x, rows, 1));
            }
        }
        return inputs;
    }

    /** A table network trained by the core's training run (as {@code descent train FILE.csv}) for five epochs. */
    private Path trainOnTable(String target) throws IOException {
        Path csv = Files.writeString(tmp.resolve("people.csv"), people()), dir = tmp.resolve("table-" + target);
        List<String> otherTargets = java.util.stream.Stream.of("label", "grade", "price").filter(c -> !c.equals(target)).toList();
        TrainingSettings settings = TrainingSettings.defaults().with(Setting.DATASET, csv.toString())
                .with(Setting.TARGET, target).with(Setting.IGNORE, otherTargets).epochs(5).seed(3);
        TrainingRun.run(settings, new TrainingRun.Output(dir, RunFolder.Mode.NEW, "test", "test"), line -> { });
        return dir;
    }

    private double tableDifference(String kind, String target) throws IOException, OrtException {
        Path dir = trainOnTable(target);
        TableModel model = TableModel.load(dir);
        Preprocessor p = CheckpointAdapter.read(dir).input() instanceof ExportableModel.TableInput t ? t.preprocessor() : null;
        ModelProto proto = export(kind, dir);
        double max = 0, scale = model.task() == Task.REGRESSION ? p.target().std() : 1;
        for (String text : List.of(people(), FRESH)) {
            Table rows = CsvReader.parse("rows.csv", text, CsvReader.Format.DEFAULT);
            float[][] onnx = OnnxRuntimeRunner.run(proto, columns(p, rows));
            Prediction descent = model.predict(rows, w -> { });
            if (model.task() == Task.REGRESSION) {
                for (int r = 0; r < onnx.length; r++) {
                    max = Math.max(max, Math.abs(onnx[r][0] - descent.values()[r]) / scale);
                }
            } else {
                max = Math.max(max, maxDifference(onnx, descent.probabilities()));
            }
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, %s: max |Δ|%s = %.3g over 303 rows%n", kind,
                scale == 1 ? "" : "/σ", max);
        return max;
    }

    @Test
    void tableBinaryClassification() throws IOException, OrtException {
        assertTrue(tableDifference("table, binary", "label") <= TOLERANCE);
    }

    @Test
    void tableMultiClassClassification() throws IOException, OrtException {
        assertTrue(tableDifference("table, 3 classes", "grade") <= TOLERANCE);
    }

    @Test
    void tableRegression() throws IOException, OrtException {
        assertTrue(tableDifference("table, regression", "price") <= TOLERANCE);
    }

    @Test
    void tableEncodingMatchesThePreprocessorBitForBit() throws IOException, OrtException {
        Path dir = trainOnTable("label");
        Preprocessor p = ((ExportableModel.TableInput) CheckpointAdapter.read(dir).input()).preprocessor();
        assertEquals(List.of("age", "income", "income_missing", "color=blue", "color=green", "color=red", "color_missing",
                "member", "member_missing"), p.inputNames());
        // the identity network shows the encoded inputs themselves
        ModelSpec identity = ModelSpec.parse("dropout(0)");
        ExportableModel m = new ExportableModel(identity.toString(),
                new ExportableModel.Network(identity.build(new int[] {p.width()}, new SplittableRandom(1))),
                new ExportableModel.TableInput(p), Task.REGRESSION, List.of(), 0, 1);
        for (String text : List.of(people(), FRESH)) {
            Table rows = CsvReader.parse("rows.csv", text, CsvReader.Format.DEFAULT);
            float[][] onnx = OnnxRuntimeRunner.run(OnnxExporter.export(m, "test"), columns(p, rows));
            assertEquals(0, OnnxRuntimeRunner.maxDifference(onnx, p.inputs(rows, w -> { })));
        }
    }
}
