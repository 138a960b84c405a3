package dev.descent.nn.init;

import dev.descent.nn.Linear;
import dev.descent.nn.OutputInit;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializerTest {
    private static final Shape DENSE = Shape.of(300, 500);          // fan_in 500, fan_out 300
    private static final Shape CONV = Shape.of(64, 32, 3, 3);       // fan_in 288, fan_out 576

    private static double[] sample(Initializer init, Shape shape) {
        return init.create(new SplittableRandom(3), DType.FLOAT64, shape).toDoubleArray();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /** Mean 0, the given standard deviation within 2%, and every value within ±limit when limit > 0. */
    private static void assertDistribution(double[] v, double std, double limit) {
        assertEquals(0, mean(v), 0.02 * std);
        assertEquals(std, std(v), 0.02 * std);
        for (double x : v) {
            assertTrue(limit == 0 || Math.abs(x) <= limit, () -> x + " outside ±" + limit);
        }
    }

    @Test
    void fansFollowPyTorch() {
        assertEquals(500, Initializer.fanIn(DENSE));
        assertEquals(300, Initializer.fanOut(DENSE));
        assertEquals(32 * 9, Initializer.fanIn(CONV));
        assertEquals(64 * 9, Initializer.fanOut(CONV));
    }

    @Test
    void uniformFamiliesHaveBoundLAndStdLOverRoot3() {
        double glorot = Math.sqrt(6.0 / (500 + 300)), he = Math.sqrt(6.0 / 500), lecun = Math.sqrt(3.0 / 500);
        assertDistribution(sample(Initializer.glorotUniform(), DENSE), glorot / Math.sqrt(3), glorot);
        assertDistribution(sample(Initializer.heUniform(), DENSE), he / Math.sqrt(3), he);
        assertDistribution(sample(Initializer.lecunUniform(), DENSE), lecun / Math.sqrt(3), lecun);
        double heConv = Math.sqrt(6.0 / 288);
        assertDistribution(sample(Initializer.heUniform(), CONV), heConv / Math.sqrt(3), heConv);
        assertDistribution(sample(Initializer.uniform(-2, 2), DENSE), 2 / Math.sqrt(3), 2);
    }

    @Test
    void normalFamiliesHaveTheirStd() {
        assertDistribution(sample(Initializer.glorotNormal(), DENSE), Math.sqrt(2.0 / 800), 0);
        assertDistribution(sample(Initializer.heNormal(), DENSE), Math.sqrt(2.0 / 500), 0);
        assertDistribution(sample(Initializer.lecunNormal(), DENSE), Math.sqrt(1.0 / 500), 0);
        double[] v = sample(Initializer.normal(5, 0.5), DENSE);
        assertEquals(5, mean(v), 0.01);
        assertEquals(0.5, std(v), 0.01);
    }

    @Test
    void constantsFillEveryElement() {
        assertArrayEquals(new double[] {0, 0, 0}, sample(Initializer.zeros(), Shape.of(3)));
        assertArrayEquals(new double[] {1.5, 1.5}, sample(Initializer.constant(1.5), Shape.of(2)));
    }

    /** {@code WᵀW = gain²·I} for a tall matrix, {@code WWᵀ = gain²·I} for a wide one. */
    @Test
    void orthogonalHasOrthonormalColumnsOrRows() {
        assertGram(Initializer.orthogonal(2).create(new SplittableRandom(1), DType.FLOAT64, Shape.of(40, 10)), 2, true);
        assertGram(Initializer.orthogonal(1).create(new SplittableRandom(1), DType.FLOAT64, Shape.of(10, 40)), 1, false);
    }

    private static void assertGram(Tensor w, double gain, boolean columns) {
        Tensor gram = columns ? w.transpose(0, 1).matmul(w) : w.matmul(w.transpose(0, 1));
        int n = gram.dim(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? gain * gain : 0, gram.get(i, j), 1e-9);
            }
        }
    }

    @Test
    void outputRuleSetsZeroWeightsAndBaseRateBias() {
        Linear layer = new Linear(4, 3, new SplittableRandom(0));
        // labels 0,0,1,2 → p = (1/2, 1/4, 1/4) → b = (ln 0.5, ln 0.25, ln 0.25)
        OutputInit.SOFTMAX.apply(layer, Tensor.of(new float[] {0, 0, 1, 2}, 4));
        assertArrayEquals(new float[12], layer.weight().toFloatArray());
        assertArrayEquals(new float[] {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.25)},
                layer.bias().toFloatArray(), 1e-6f);

        // rows (1, 10), (3, 20) → column means (2, 15)
        Linear regression = new Linear(4, 2, new SplittableRandom(0));
        OutputInit.REGRESSION.apply(regression, Tensor.of(new float[] {1, 10, 3, 20}, 2, 2));
        assertArrayEquals(new float[] {2, 15}, regression.bias().toFloatArray());

        // 1 of 4 targets positive → p = 1/4 → b = ln(0.25 / 0.75) = −ln 3
        Linear binary = new Linear(4, 1, new SplittableRandom(0));
        OutputInit.SIGMOID.apply(binary, Tensor.of(new float[] {0, 1, 0, 0}, 4));
        assertEquals(-Math.log(3), binary.bias().get(0), 1e-6);
        assertEquals(0, binary.weight().get(0, 2));
    }

    @Test
    void outputRuleGivesAbsentClassesAFiniteBias() {
        Linear layer = new Linear(2, 3, new SplittableRandom(0));
        OutputInit.SOFTMAX.apply(layer, Tensor.of(new float[] {0, 1}, 2));
        assertEquals(Math.log(1e-7), layer.bias().get(2), 1e-4);
    }
}
