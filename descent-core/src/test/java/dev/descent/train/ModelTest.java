package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.table.Table;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API as a user meets it: a model from a spec, fit with named settings, predict, save, load. */
class ModelTest {
    @TempDir
    Path tmp;

    private static final float[][] XOR = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final int[] XOR_LABELS = {0, 1, 1, 0};

    @Test
    void xorLearnsPredictsSavesAndLoads() {
        Model model = Model.classifier("dense(8) tanh dense(2)");
        TrainingResult result = model.fit(Dataset.of(XOR, XOR_LABELS), TrainingSettings.defaults()
                .epochs(300).batchSize(4).optimizer("adam").learningRate(0.05).validation(0).patience(0).seed(1));
        assertEquals(300, result.lastEpoch());
        Prediction p = model.predict(XOR);
        assertArrayEquals(XOR_LABELS, p.classes());
        for (int i = 0; i < 4; i++) {
            assertTrue(p.probabilities()[i][XOR_LABELS[i]] > 0.9, "example " + i);
        }
        model.save(tmp.resolve("xor"));
        Model loaded = Model.load(tmp.resolve("xor"));
        assertArrayEquals(p.probabilities(), loaded.predict(XOR).probabilities());
        assertEquals(List.of("0", "1"), loaded.classNames());
    }

    @Test
    void oneExampleAtATimePredictsBitForBitWhatABatchPredicts() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor images = Tensor.rand(rng, 64, 1, 28, 28);
        float[] labels = new float[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Dataset data = new Dataset(images, Tensor.wrap(labels, 64));
        // a dense layer with whole vectors of outputs (128) and one with a partial vector (10)
        for (String spec : List.of("flatten dense(128) relu dense(10)", "conv(4,3) relu flatten dense(10)")) {
            Model model = Model.classifier(spec);
            model.fit(data, TrainingSettings.defaults().epochs(1).batchSize(16).validation(0).seed(1));
            Tensor batch = images.slice(0, 0, 8);
            float[][] together = model.predict(batch).probabilities();
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(together[i], model.predict(batch.slice(0, i, i + 1)).probabilities()[0], 0f,
                        spec + ", example " + i);
            }
        }
    }

    @Test
    void aBinaryHeadOfOneLogitTrainsOnIntegerLabels() {
        Model model = Model.classifier("dense(8) tanh dense(1)");
        model.fit(Dataset.of(XOR, XOR_LABELS), TrainingSettings.defaults()
                .epochs(300).batchSize(4).learningRate(0.05).validation(0).patience(0).seed(1));
        Prediction p = model.predict(XOR);
        assertArrayEquals(XOR_LABELS, p.classes());
        assertEquals(2, p.probabilities()[0].length);
        assertEquals(1.0, model.evaluate(Dataset.of(XOR, XOR_LABELS)).accuracy());
    }

    @Test
    void regressionPredictsValues() {
        float[][] x = new float[64][1];
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i][0] = i / 32f - 1;
            y[i] = 3 * x[i][0] + 1;
        }
        Model model = Model.regressor("dense(1)");
        model.fit(Dataset.of(x, y), TrainingSettings.defaults().epochs(200).batchSize(16).learningRate(0.05)
                .validation(0).patience(0).schedule("constant"));
        double[] v = model.predict(new float[][] {{0.5f}}).values();
        assertEquals(2.5, v[0], 0.05);
    }

    @Test
    void mistakesAreOneLineErrors() {
        Model model = Model.classifier("dense(2)");
        DescentException unfit = assertThrows(DescentException.class, () -> model.predict(XOR));
        assertTrue(unfit.getMessage().contains("fit it on data first"), unfit.getMessage());
        model.fit(Dataset.of(XOR, XOR_LABELS), TrainingSettings.defaults().epochs(1).validation(0));
        DescentException shape = assertThrows(DescentException.class, () -> model.predict(new float[][] {{1, 2, 3}}));
        assertTrue(shape.getMessage().contains("wants inputs of shape [N, 2]"), shape.getMessage());
        assertThrows(DescentException.class, () -> TrainingSettings.defaults().epochs(0));
        assertThrows(DescentException.class, () -> Model.classifier("dense(oops)"));
        assertThrows(DescentException.class, () -> model.predict(new Table("t", List.of("a"), Map.of(),
                new String[][] {{"1"}}, new int[] {1}), w -> { }));
    }

    @Test
    void saveNeverReplacesForeignFiles() throws IOException {
        Model model = Model.classifier("dense(2)");
        model.fit(Dataset.of(XOR, XOR_LABELS), TrainingSettings.defaults().epochs(1).validation(0));
        Path folder = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(folder.resolve("thesis.tex"), "precious");
        assertThrows(DescentException.class, () -> model.save(folder));
        assertEquals("precious", Files.readString(folder.resolve("thesis.tex")));
        assertEquals(List.of(folder.resolve("thesis.tex")), Files.list(folder).toList());
    }
}
