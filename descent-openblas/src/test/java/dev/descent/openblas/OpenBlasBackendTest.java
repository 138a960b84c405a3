package dev.descent.openblas;

import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.MatmulBackend;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenBLAS's products equal a plain double-precision triple loop, and the float kernels use them.
 * {@link OpenBlasBackend#openBlas} is the OpenBLAS path at every size; {@code multiply} sends
 * small products to the built-in kernel.
 */
class OpenBlasBackendTest {
    private static final OpenBlasBackend OPENBLAS = new OpenBlasBackend();
    private final SplittableRandom rng = new SplittableRandom(7);

    private float[] random(int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return data;
    }

    /** {@code C = op(A)·op(B)} in double, written at {@code cOff}; the rest of {@code c} is left as it is. */
    private static void reference(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                                  float[] c, int cOff, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    double y = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    sum += x * y;
                }
                c[cOff + i * n + j] = (float) sum;
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, int k) {
        assertEquals(expected.length, actual.length);
        double tolerance = 1e-6 * Math.sqrt(k) * 4;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            assertTrue(Math.abs(e - a) <= tolerance * (1 + Math.abs(e)), "element " + i + ": " + e + " vs " + a);
        }
    }

    @Test
    void serviceLoaderFindsTheProviderAndTheFloatKernelsSelectIt() {
        List<String> names = new ArrayList<>();
        // The tests run inside module dev.descent.openblas, which provides the service but does not use it.
        OpenBlasBackendTest.class.getModule().addUses(MatmulBackend.class);
        ServiceLoader.load(MatmulBackend.class).forEach(backend -> names.add(backend.name()));
        assertEquals(List.of("openblas"), names);
        assertInstanceOf(OpenBlasBackend.class, MatmulBackend.selected());
        assertTrue(MatmulBackend.inUse().matches("openblas 0\\.3\\.\\d+ \\(\\d+ threads?\\)"), MatmulBackend.inUse());
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "7,13,5", "129,257,65", "1,300,7", "64,784,128", "33,1,17"})
    void equalsTheDoubleReferenceForAllTransposesAndOffsets(int m, int k, int n) {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                float[] a = random(m * k + 3), b = random(k * n + 5);
                float[] expected = random(m * n + 4);
                float[] actual = expected.clone(); // the margins must survive untouched
                float[] small = actual.clone();
                reference(a, 3, transA, b, 5, transB, expected, 2, m, k, n);
                OPENBLAS.openBlas(a, 3, transA, b, 5, transB, actual, 2, m, k, n);
                assertClose(expected, actual, k);
                OPENBLAS.multiply(a, 3, transA, b, 5, transB, small, 2, m, k, n); // the small ones through Gemm
                assertClose(expected, small, k);
            }
        }
    }

    @Test
    void emptyDepthGivesZerosAndEmptyResultsWriteNothing() {
        float[] c = {9, 9, 9, 9, 9};
        OPENBLAS.multiply(new float[0], 0, false, new float[0], 0, false, c, 1, 2, 0, 2);
        assertArrayEquals(new float[] {9, 0, 0, 0, 0}, c);
        OPENBLAS.multiply(new float[0], 0, false, new float[4], 0, false, c, 0, 0, 2, 2);
        assertArrayEquals(new float[] {9, 0, 0, 0, 0}, c);
    }

    @Test
    void productsRunConcurrentlyFromParallelWorkersStayCorrect() {
        int count = 16, m = 64, k = 300, n = 80; // above the size that goes to the built-in kernel
        float[][] as = new float[count][], bs = new float[count][], expected = new float[count][], actual = new float[count][];
        for (int t = 0; t < count; t++) {
            as[t] = random(m * k);
            bs[t] = random(k * n);
            expected[t] = new float[m * n];
            actual[t] = new float[m * n];
            reference(as[t], 0, false, bs[t], 0, true, expected[t], 0, m, k, n);
        }
        Parallel.forRange(count, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                OPENBLAS.multiply(as[t], 0, false, bs[t], 0, true, actual[t], 0, m, k, n);
            }
        });
        for (int t = 0; t < count; t++) {
            assertClose(expected[t], actual[t], k);
        }
        // and a large product from the calling thread afterwards, split into bands over the pool
        float[] a = random(300 * 200), b = random(200 * 250), want = new float[300 * 250], got = new float[300 * 250];
        reference(a, 0, true, b, 0, false, want, 0, 300, 200, 250);
        OPENBLAS.multiply(a, 0, true, b, 0, false, got, 0, 300, 200, 250);
        assertClose(want, got, 200);
    }

    @Test
    void theThreadCountDoesNotChangeTheResult() {
        int before = Parallel.threads();
        try {
            for (int[] shape : new int[][] {{300, 200, 250}, {64, 784, 1024}, {1024, 256, 784}}) {
                int m = shape[0], k = shape[1], n = shape[2];
                float[] a = random(m * k), b = random(k * n);
                float[] one = new float[m * n], four = new float[m * n];
                Parallel.setThreads(1);
                OPENBLAS.multiply(a, 0, true, b, 0, false, one, 0, m, k, n);
                Parallel.setThreads(4);
                OPENBLAS.multiply(a, 0, true, b, 0, false, four, 0, m, k, n);
                assertArrayEquals(one, four, m + "x" + k + "x" + n);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void tensorMatmulGoesThroughOpenBlas() {
        int m = 129, k = 257, n = 65;
        float[] a = random(m * k), b = random(k * n), direct = new float[m * n];
        OPENBLAS.multiply(a, 0, false, b, 0, false, direct, 0, m, k, n);
        float[] viaTensor = Tensor.wrap(a, m, k).matmul(Tensor.wrap(b, k, n)).toFloatArray();
        assertArrayEquals(direct, viaTensor);
        // the built-in kernel rounds differently here, so equality to the bit shows the route
        float[] builtIn = new float[m * n];
        MatmulBackend.builtIn().multiply(a, 0, false, b, 0, false, builtIn, 0, m, k, n);
        assertFalse(Arrays.equals(direct, builtIn));
    }

    @Test
    void mnistShapedTrainingStepsRunThroughOpenBlasAndLowerTheLoss() {
        SplittableRandom seeded = new SplittableRandom(3);
        Sequential model = ModelSpec.parse("conv(8,3) relu maxpool(2) flatten dense(32) relu dense(10)")
                .build(new int[] {1, 28, 28}, seeded);
        Optimizer optimizer = new Optimizer(Optimizers.adam(3e-3), model);
        Tensor inputs = Tensor.rand(seeded, 32, 1, 28, 28);
        float[] y = new float[32];
        for (int i = 0; i < y.length; i++) {
            y[i] = seeded.nextInt(10);
        }
        Tensor labels = Tensor.wrap(y, 32);
        Loss loss = Loss.softmaxCrossEntropy();
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 30; step++) {
            optimizer.zeroGrad();
            Tensor value = loss.apply(model.forward(inputs), labels);
            value.backward();
            optimizer.step();
            last = value.item();
            if (step == 0) {
                first = last;
            }
            assertTrue(Double.isFinite(last), "step " + step + " loss " + last);
        }
        // 32 random images with random labels: the network memorises them
        assertTrue(first > 2.0 && last < 0.5 * first, "loss went from " + first + " to " + last);
    }
}
