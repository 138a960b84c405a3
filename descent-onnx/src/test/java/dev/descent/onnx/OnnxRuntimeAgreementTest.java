package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import dev.descent.data.Normalizer;
import dev.descent.data.table.Cells;
import dev.descent.data.table.ColumnType;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
import dev.descent.train.Task;
import dev.descent.train.TrainedModel;
import dev.descent.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model kind, trained for a few steps, exported and run in ONNX Runtime on real test
 * examples: the runtime's outputs for the raw inputs must equal Descent's predictions for the
 * same raw inputs to within {@value #TOLERANCE} (probabilities; regression values relative to
 * the target's scale).
 */
class OnnxRuntimeAgreementTest {
    static final double TOLERANCE = 1e-5;
    private static final int[] MNIST_SHAPE = {1, 28, 28};
    private static final int TEST_IMAGES = 200;
    private static Mnist.Split mnist;

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

    /** A network trained for one epoch on 512 MNIST images (8 steps of Adam), inputs standardized by {@code mode}. */
    private static TrainedModel trainOnMnist(String spec, Normalizer.Mode mode) {
        Dataset train = mnist.train().slice(0, 512);
        Normalizer normalizer = Normalizer.fit(train.inputs(), mode);
        TrainedModel model = TrainedModel.create(ModelSpec.parse(spec), MNIST_SHAPE, normalizer, Task.CLASSIFICATION, 10, 7);
        new Trainer(model.network(), Loss.softmaxCrossEntropy(), new Optimizer(Optimizers.adam(1e-3), model.network()),
                new Trainer.Config(1, 64, 7, false, Task.CLASSIFICATION, 0), null)
                .fit(new Dataset(normalizer.apply(train.inputs()), train.targets()), null);
        return model;
    }

    /** The largest difference between ONNX Runtime on raw test pixels (0–255) and {@code predict} on the same pixels / 255. */
    private static double imageDifference(String kind, TrainedModel model) throws OrtException {
        float[] scaled = mnist.test().slice(0, TEST_IMAGES).inputs().toFloatArray();
        float[] raw = new float[scaled.length], predictInput = new float[scaled.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.round(scaled[i] * 255);
            predictInput[i] = raw[i] / 255f; // as descent predict reads an image
        }
        ModelProto proto = OnnxExporter.export(ExportableModel.images(model.spec().toString(), model.network(),
                MNIST_SHAPE, model.normalizer(), Task.CLASSIFICATION, 10), "test");
        keep(kind, proto);
        float[][] onnx = OnnxRuntimeRunner.run(proto,
                Map.of(OnnxExporter.IMAGE_INPUT, OnnxRuntimeRunner.floats(raw, TEST_IMAGES, 1, 28, 28)));
        Tensor descent = model.predict(Tensor.wrap(predictInput, TEST_IMAGES, 1, 28, 28));
        double difference = OnnxRuntimeRunner.maxDifference(onnx, descent);
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, %s: max |Δp| = %.3g over %d MNIST test images%n",
                kind, difference, TEST_IMAGES);
        return difference;
    }

    @Test
    void mlpWithEveryActivationDropoutAndNorms() throws OrtException {
        TrainedModel model = trainOnMnist("flatten dense(32) relu dropout(0.2) dense(32) leaky_relu(0.1) dense(32) elu(0.5)"
                + " dense(32) gelu batchnorm dense(32) silu dense(32) sigmoid layernorm dense(32) tanh dense(10) log_softmax",
                Normalizer.Mode.PER_FEATURE);
        assertTrue(imageDifference("MLP", model) <= TOLERANCE);
    }

    @Test
    void cnnWithBatchNormPoolsAndGlobalPooling() throws OrtException {
        TrainedModel model = trainOnMnist("conv(8,3,padding=1) batchnorm relu maxpool(2) conv(16,3,stride=2,padding=1,groups=2,bias=false)"
                + " batchnorm(affine=false) silu avgpool(3,stride=1,padding=1) conv(16,3,dilation=2,padding=same) relu"
                + " dropout(0.25) maxpool(3,stride=2,padding=1) gap dense(10)", Normalizer.Mode.GLOBAL);
        assertTrue(imageDifference("CNN", model) <= TOLERANCE);
    }

    @Test
    void lenetStyleCnnWithLayerNormAndDenseOverImageRows() throws OrtException {
        TrainedModel model = trainOnMnist("dense(16) gelu conv(6,5,padding=2) tanh avgpool(2) layernorm(affine=false) flatten"
                + " dense(32) relu dense(10) softmax", Normalizer.Mode.GLOBAL);
        assertTrue(imageDifference("CNN with layer norm", model) <= TOLERANCE);
    }

    /**
     * 300 rows: a numeric column {@code age}, a numeric {@code income} with missing values, a
     * categorical {@code color} and a boolean {@code member} (several spellings), both with missing
     * values, and three targets: binary {@code label}, three-class {@code grade}, numeric {@code price}.
     */
    private static Table people() {
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
        // rows the training never saw: an unseen category, a boolean spelled oddly, missing values in every column
        sb.append("33,,purple,tRuE,good,mid,100\n").append(",55,red,,bad,low,120\n").append("60,40,,N/A,good,high,200\n");
        return CsvReader.parse("people.csv", sb.toString(), CsvReader.Format.DEFAULT);
    }

    /** A table MLP as {@code descent train FILE.csv} builds it, trained for five epochs on all but the last three rows. */
    private static TrainedModel trainOnTable(Preprocessor p, Table train) {
        int outputs = p.task() == Task.CLASSIFICATION && p.target().classCount() > 2 ? p.target().classCount() : 1;
        TrainedModel model = TrainedModel.create(ModelSpec.mlp(new int[] {16}, "relu", 0.1, outputs), new int[] {p.width()},
                null, p.task(), p.target().classCount(), 3);
        Tensor y = Tensor.wrap(p.target().encode(train), train.rowCount());
        Loss loss = p.task() == Task.REGRESSION ? Loss.mse()
                : outputs == 1 ? Loss.binaryCrossEntropyWithLogits() : Loss.softmaxCrossEntropy();
        new Trainer(model.network(), loss, new Optimizer(Optimizers.adam(1e-2), model.network()),
                new Trainer.Config(5, 32, 3, false, p.task(), 0), null)
                .fit(new Dataset(p.inputs(train, w -> { }), outputs == 1 ? y.reshape(train.rowCount(), 1) : y), null);
        return model;
    }

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

    /** The training rows of {@link #people()}: all but the last three. */
    private static Table trainingRows(Table all) {
        return all.rows(IntStream.range(0, all.rowCount() - 3).toArray());
    }

    /** The preprocessing fitted on the training rows, predicting {@code target} from the four input columns. */
    private static Preprocessor preprocessor(Table all, String target) {
        Set<String> otherTargets = Set.of("label", "grade", "price").stream().filter(c -> !c.equals(target))
                .collect(Collectors.toSet());
        Preprocessor.Options options = new Preprocessor.Options(target, Set.of(), otherTargets,
                Preprocessor.MissingPolicy.IMPUTE, null);
        return Preprocessor.fit(trainingRows(all), options, Preprocessor.detectTarget(all, options));
    }

    private static double tableDifference(String kind, String target) throws OrtException {
        Table all = people();
        Preprocessor p = preprocessor(all, target);
        TrainedModel model = trainOnTable(p, trainingRows(all));
        ModelProto proto = OnnxExporter.export(ExportableModel.table(model.spec().toString(), new ExportableModel.Network(model.network()), p), "test");
        keep(kind, proto);
        float[][] onnx = OnnxRuntimeRunner.run(proto, columns(p, all));
        Tensor descent = model.predict(p.inputs(all, w -> { }));
        double scale = 1;
        if (p.task() == Task.REGRESSION) { // descent predict writes μ + σ·z
            descent = descent.mul(p.target().std()).add(p.target().mean());
            scale = p.target().std();
        }
        double difference = OnnxRuntimeRunner.maxDifference(onnx, descent) / scale;
        System.out.printf(Locale.ROOT, "ONNX Runtime vs Descent, %s: max |Δ|%s = %.3g over %d rows%n", kind,
                scale == 1 ? "" : "/σ", difference, all.rowCount());
        return difference;
    }

    @Test
    void tableBinaryClassification() throws OrtException {
        assertTrue(tableDifference("table, binary", "label") <= TOLERANCE);
    }

    @Test
    void tableMultiClassClassification() throws OrtException {
        assertTrue(tableDifference("table, 3 classes", "grade") <= TOLERANCE);
    }

    @Test
    void tableRegression() throws OrtException {
        assertTrue(tableDifference("table, regression", "price") <= TOLERANCE);
    }

    @Test
    void tableEncodingMatchesThePreprocessorColumnByColumn() throws OrtException {
        Table all = people();
        Preprocessor p = preprocessor(all, "label");
        assertEquals(List.of("age", "income", "income_missing", "color=blue", "color=green", "color=red", "color_missing",
                "member", "member_missing"), p.inputNames());
        // the identity network shows the encoded inputs themselves
        ModelSpec identity = ModelSpec.parse("dropout(0)");
        ExportableModel m = new ExportableModel(identity.toString(),
                new ExportableModel.Network(identity.build(new int[] {p.width()}, new SplittableRandom(1))),
                new ExportableModel.TableInput(p), Task.REGRESSION, List.of(), 0, 1);
        float[][] onnx = OnnxRuntimeRunner.run(OnnxExporter.export(m, "test"), columns(p, all));
        assertEquals(0, OnnxRuntimeRunner.maxDifference(onnx, p.inputs(all, w -> { }))); // bit for bit
    }
}
