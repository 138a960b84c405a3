package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.tensor.Tensor;
import dev.descent.train.EpochStats;
import dev.descent.train.Model;
import dev.descent.train.TrainingResult;
import dev.descent.train.TrainingSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training in {@code local[2]} follows one machine's training at the same global
 * batch: same loss curve and weights up to float rounding (the gradient sums add in another order),
 * dropout included (each share gets its rows of one machine's masks).
 */
class SparkTrainingTest {
    /** Relative tolerance: float32 sums in another order, over 3 epochs of 12 steps. */
    static final double TOLERANCE = 1e-5;
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SparkCluster.connect("local[2]", line -> { });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Three blobs in 6 dimensions, 400 examples, classes 0..2. */
    static Dataset blobs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[400][6];
        int[] y = new int[400];
        for (int i = 0; i < x.length; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < 6; j++) {
                x[i][j] = (float) (rng.nextGaussian() + (j % 3 == y[i] ? 1.5 : 0));
            }
        }
        return Dataset.of(x, y);
    }

    @Test
    void matchesOneMachineAtTheSameGlobalBatch() {
        TrainingSettings settings = TrainingSettings.defaults().epochs(3).batchSize(30).seed(11).optimizer("adam")
                .learningRate(0.01).validation(0.1).l2(1e-3);
        String spec = "dense(32) relu dropout(0.3) dense(3)";
        Dataset data = blobs(5);
        Model here = Model.classifier(spec);
        TrainingResult local = here.fit(data, settings);
        Model there = Model.classifier(spec);
        TrainingResult spark = there.fit(data, settings.batchGradients(cluster));

        assertEquals(local.history().size(), spark.history().size());
        for (int e = 0; e < local.history().size(); e++) {
            EpochStats a = local.history().get(e), b = spark.history().get(e);
            assertClose(a.trainLoss(), b.trainLoss(), "train loss of epoch " + (e + 1));
            assertClose(a.validationLoss(), b.validationLoss(), "validation loss of epoch " + (e + 1));
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1.0 / 360, "train accuracy of epoch " + (e + 1));
        }
        assertTrue(local.history().get(2).trainLoss() < local.history().get(0).trainLoss(), "it learns");
        Map<String, Tensor> w = here.network().namedParameters(), v = there.network().namedParameters();
        for (String name : w.keySet()) {
            float[] a = w.get(name).toFloatArray(), b = v.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), name + "[" + i + "]");
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }
}
