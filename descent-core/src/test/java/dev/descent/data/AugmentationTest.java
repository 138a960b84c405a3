package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.data.Task;
import dev.descent.train.Trainer;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {
    /** One 5×5 image, 1 at (row 1, column 2): above the centre (2, 2). */
    private static Tensor dotAboveCentre() {
        Tensor x = Tensor.zeros(1, 1, 5, 5);
        x.set(1, 0, 0, 1, 2);
        return x;
    }

    @Test
    void quarterTurnIsCounterClockwise() {
        Tensor turned = Augmentation.warp(dotAboveCentre(), 90, 1, 0, 0);
        assertEquals(1, turned.get(0, 0, 2, 1), 1e-6, "the dot above the centre moves to its left");
        assertEquals(1, turned.sum().item(), 1e-6);
    }

    @Test
    void halfTurnAndShiftMoveThePixelExactly() {
        assertEquals(1, Augmentation.warp(dotAboveCentre(), 180, 1, 0, 0).get(0, 0, 3, 2), 1e-6);
        Tensor shifted = Augmentation.warp(dotAboveCentre(), 0, 1, 1, 2);
        assertEquals(1, shifted.get(0, 0, 3, 3), 1e-6, "one right, two down");
    }

    @Test
    void halfPixelShiftInterpolatesBilinearly() {
        Tensor half = Augmentation.warp(dotAboveCentre(), 0, 1, 0.5, 0);
        assertEquals(0.5, half.get(0, 0, 1, 2), 1e-6);
        assertEquals(0.5, half.get(0, 0, 1, 3), 1e-6);
    }

    @Test
    void zoomAboutTheCentre() {
        Tensor zoomed = Augmentation.warp(dotAboveCentre(), 0, 2, 0, 0);
        assertEquals(1, zoomed.get(0, 0, 0, 2), 1e-6, "twice as far from the centre");
    }

    @Test
    void sameRandomSourceSameImagesAndEveryExampleDrawsItsOwn() {
        Augmentation a = Augmentation.parse("rotate=20,translate=2,scale=0.1,noise=0.1,crop=1,elastic=2");
        Tensor images = Tensor.rand(new SplittableRandom(1), 3, 2, 8, 8);
        Tensor once = a.apply(images, new SplittableRandom(7)), again = a.apply(images, new SplittableRandom(7));
        assertArrayEquals(once.toFloatArray(), again.toFloatArray());
        assertFalse(java.util.Arrays.equals(once.toFloatArray(), a.apply(images, new SplittableRandom(8)).toFloatArray()));
        Tensor same = Tensor.concat(0, images.slice(0, 0, 1), images.slice(0, 0, 1));
        Tensor out = a.apply(same, new SplittableRandom(7));
        assertFalse(java.util.Arrays.equals(out.slice(0, 0, 1).toFloatArray(), out.slice(0, 1, 2).toFloatArray()));
    }

    @Test
    void elasticDistortionAtSimardsSettingMovesPixelsByAFewPixelsNotAcrossTheImage() {
        Tensor square = Tensor.zeros(1, 1, 28, 28);
        for (int i = 10; i < 18; i++) {
            for (int j = 10; j < 18; j++) {
                square.set(1, 0, 0, i, j);
            }
        }
        Tensor out = Augmentation.parse("elastic=34,elastic_sigma=4").apply(square, new SplittableRandom(3));
        double inside = 0;
        for (int i = 6; i < 22; i++) {
            for (int j = 6; j < 22; j++) {
                inside += out.get(0, 0, i, j);
            }
        }
        assertEquals(64, out.sum().item(), 16, "ink is roughly kept");
        assertEquals(out.sum().item(), inside, 1e-3, "and stays within 4 pixels of the square");
        assertFalse(java.util.Arrays.equals(square.toFloatArray(), out.toFloatArray()));
    }

    @Test
    void noSettingsIsTheIdentity() {
        Tensor images = Tensor.rand(new SplittableRandom(1), 2, 1, 4, 4);
        Augmentation none = Augmentation.parse("");
        assertTrue(none.isIdentity());
        assertSame(images, none.apply(images, new SplittableRandom(1)));
        assertEquals("rotate=10,translate=2", Augmentation.parse(" rotate=10 , translate=2.0").toString());
    }

    @Test
    void onStandardizedInputsItEqualsAugmentingBeforeStandardizing() {
        Augmentation a = Augmentation.parse("rotate=30,translate=3,scale=0.2");
        Tensor raw = Tensor.rand(new SplittableRandom(3), 2, 1, 9, 9);
        double mean = 0.13, std = 0.31;
        Tensor viaRaw = a.apply(raw, new SplittableRandom(5)).sub(mean).div(std);
        Tensor viaStandardized = a.forStandardizedInputs(mean, std).apply(raw.sub(mean).div(std), new SplittableRandom(5));
        float[] x = viaRaw.toFloatArray(), y = viaStandardized.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-4, "pixel " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rotate", "spin=3", "rotate=-1", "scale=1.5", "crop=1.5", "noise=abc"})
    void badSettingsAreUserErrors(String text) {
        assertThrows(DescentException.class, () -> Augmentation.parse(text));
    }

    @Test
    void theLoaderTransformsEveryBatchReproduciblyAndTheTrainerOnlyTheTrainingSplit() {
        Dataset data = new Dataset(Tensor.rand(new SplittableRandom(2), 10, 1, 4, 4), Tensor.zeros(10));
        List<Long> draws = new ArrayList<>();
        DataLoader loader = new DataLoader(data, 4, true, 9, false).withTransform((x, rng) -> {
            draws.add(rng.nextLong());
            return x.mul(2);
        });
        List<Float> first = new ArrayList<>();
        for (DataLoader.Batch b : loader.epoch(1)) {
            first.add(b.inputs().sum().toFloatArray()[0]);
        }
        for (DataLoader.Batch b : loader.epoch(1)) {
            first.add(b.inputs().sum().toFloatArray()[0]);
        }
        assertEquals(first.subList(0, 3), first.subList(3, 6));
        assertEquals(draws.subList(0, 3), draws.subList(3, 6), "batch b of epoch e always gets the same random source");
        assertEquals(3, draws.stream().distinct().count());

        int[] seen = {0};
        Module model = ModelSpec.parse("flatten dense(2)").build(new int[] {1, 4, 4}, new SplittableRandom(1));
        Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(), new Optimizer(Optimizers.sgd(0.1), model)).epochs(2).batchSize(4).seed(3);
        trainer.augmentTrainingInputs((x, rng) -> {
            seen[0] += x.dim(0);
            return x;
        });
        trainer.fit(data, new Dataset(Tensor.rand(new SplittableRandom(4), 6, 1, 4, 4), Tensor.zeros(6)));
        trainer.evaluate(data);
        assertEquals(2 * 10, seen[0], "two epochs of the 10 training examples, no validation or test example");
    }
}
