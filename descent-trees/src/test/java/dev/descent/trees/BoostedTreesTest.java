package dev.descent.trees;

import dev.descent.data.Task;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoostedTreesTest {
    /** Three classes by the quadrant of (x0, x1): a tree separates them exactly with two splits. */
    private static float[][] quadrants(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) rng.nextDouble(-1, 1);
            x[2 * i + 1] = (float) rng.nextDouble(-1, 1);
            y[i] = x[2 * i] < 0 ? 0 : x[2 * i + 1] < 0 ? 1 : 2;
        }
        return new float[][] {x, y};
    }

    private static double accuracy(double[][] p, float[] y) {
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                best = p[i][c] > p[i][best] ? c : best;
            }
            correct += best == (int) y[i] ? 1 : 0;
        }
        return (double) correct / y.length;
    }

    @Test
    void singleTreeAndBoostingSeparateQuadrants() {
        float[][] train = quadrants(400, 1), test = quadrants(200, 2);
        for (BoostedTrees.Settings s : new BoostedTrees.Settings[] {BoostedTrees.Settings.singleTree(1, 1),
                BoostedTrees.Settings.boosted(1, 1)}) {
            BoostedTrees model = BoostedTrees.fit(train[0], 2, train[1], null, null, Task.CLASSIFICATION, 3, s);
            double[][] p = model.predict(test[0], 2);
            assertEquals(3, p[0].length);
            assertEquals(1.0, p[0][0] + p[0][1] + p[0][2], 1e-5);
            assertTrue(accuracy(p, test[1]) > 0.95, "accuracy " + accuracy(p, test[1]));
        }
    }

    @Test
    void jsonRoundTripGivesTheSamePredictions() {
        float[][] train = quadrants(300, 3);
        float[] binary = train[1].clone();
        for (int i = 0; i < binary.length; i++) {
            binary[i] = binary[i] == 2 ? 1 : 0;
        }
        BoostedTrees model = BoostedTrees.fit(train[0], 2, binary, null, null, Task.CLASSIFICATION, 2,
                BoostedTrees.Settings.boosted(1, 1));
        BoostedTrees back = BoostedTrees.fromJson(model.toJson(), Task.CLASSIFICATION, 2);
        double[][] a = model.predict(train[0], 2), b = back.predict(train[0], 2);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i][1], b[i][1], 1e-7);
            assertEquals(1.0, a[i][0] + a[i][1], 1e-6);
        }
        assertTrue(accuracy(a, binary) > 0.97);
    }

    @Test
    void regressionFitsALine() {
        int n = 300;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / (float) n;
            y[i] = 3 * x[i] - 1;
        }
        BoostedTrees model = BoostedTrees.fit(x, 1, y, null, null, Task.REGRESSION, 0,
                BoostedTrees.Settings.boosted(1, 1));
        double[][] p = model.predict(new float[] {0.5f}, 1);
        assertEquals(1, p[0].length);
        assertEquals(0.5, p[0][0], 0.05);
    }
}
