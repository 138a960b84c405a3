package dev.descent.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast float kernels give the reference kernels' results (to float rounding). */
class VectorKernelsTest {
    private final Kernels fast = new VectorKernels();
    private final Kernels reference = new ReferenceKernels();
    private final SplittableRandom rng = new SplittableRandom(42);

    private FloatStorage random(int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return new FloatStorage(data);
    }

    private static void assertClose(Storage expected, Storage actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i);
            assertTrue(Math.abs(e - a) <= tolerance * (1 + Math.abs(e)), "element " + i + ": " + e + " vs " + a);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "3,5,7", "4,16,16", "7,33,19", "64,784,128", "13,1,40", "5,9,17", "128,64,10",
            "97,257,33", "100,300,530", "7,513,1025"})
    void matmulInAllTransposeVariants(int m, int k, int n) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                FloatStorage a = random(m * k + 3), b = random(k * n + 5);
                FloatStorage expected = new FloatStorage(new float[m * n + 2]);
                FloatStorage actual = new FloatStorage(new float[m * n + 2]);
                reference.matmul(a, 3, ta, b, 5, tb, expected, 2, m, k, n);
                fast.matmul(a, 3, ta, b, 5, tb, actual, 2, m, k, n);
                assertClose(expected, actual, 1e-5 * Math.sqrt(k));
            }
        }
    }

    @ParameterizedTest // k over two depth blocks; n with and without a partial vector; B small and large
    @CsvSource({"1,784,128", "3,300,21", "2,9,32", "1,9216,128", "1,1,1"})
    void fewRowsAreBitIdenticalToTheRowsOfALargerProduct(int m, int k, int n) {
        int rows = 16; // enough rows for the packed kernel
        for (boolean ta : new boolean[] {false, true}) {
            FloatStorage a = random(rows * k), b = random(k * n);
            FloatStorage all = new FloatStorage(new float[rows * n]);
            fast.matmul(a, 0, ta, b, 0, true, all, 0, rows, k, n);
            // the first m rows of op(A): stored m×k they are a prefix; stored k×m they are copied out
            FloatStorage few = new FloatStorage(new float[m * k]);
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    few.set(ta ? p * m + i : i * k + p, ta ? a.get(p * rows + i) : a.get(i * k + p));
                }
            }
            FloatStorage part = new FloatStorage(new float[m * n]);
            fast.matmul(few, 0, ta, b, 0, true, part, 0, m, k, n);
            for (int e = 0; e < m * n; e++) {
                assertEquals(all.get(e), part.get(e), "transA " + ta + ", element " + e);
            }
        }
    }

    @Test
    void elementWiseAndBroadcast() {
        Shape full = Shape.of(6, 11);
        FloatStorage x = random(66);
        for (Shape bShape : new Shape[] {full, Shape.of(11), Shape.of(1, 11), Shape.scalar(), Shape.of(6, 1)}) {
            FloatStorage y = random(bShape.size());
            for (BinaryOp op : BinaryOp.values()) {
                FloatStorage expected = new FloatStorage(new float[66]), actual = new FloatStorage(new float[66]);
                reference.binary(op, x, full, y, bShape, expected, full);
                fast.binary(op, x, full, y, bShape, actual, full);
                assertClose(expected, actual, 1e-6);
            }
        }
        FloatStorage g = random(66);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.TANH}) {
            FloatStorage e = new FloatStorage(new float[66]), a = new FloatStorage(new float[66]);
            reference.unary(op, 0, x, e);
            fast.unary(op, 0, x, a);
            assertClose(e, a, 1e-6);
            reference.unaryBackward(op, 0, x, e, g, e);
            fast.unaryBackward(op, 0, x, a, g, a);
            assertClose(e, a, 1e-6);
        }
    }

    @ParameterizedTest
    @CsvSource({"3,5", "4,16", "6,21"})
    void fusedBiasAndRelu(int rows, int cols) {
        for (boolean withBias : new boolean[] {true, false}) {
            FloatStorage bias = withBias ? random(cols) : null, y = random(rows * cols);
            FloatStorage expected = (FloatStorage) y.copy(), actual = (FloatStorage) y.copy();
            reference.biasRelu(expected, bias, rows, cols);
            fast.biasRelu(actual, bias, rows, cols);
            assertClose(expected, actual, 1e-6);
            FloatStorage g = random(rows * cols);
            FloatStorage ze = new FloatStorage(new float[rows * cols]), za = new FloatStorage(new float[rows * cols]);
            FloatStorage be = withBias ? new FloatStorage(new float[cols]) : null;
            FloatStorage ba = withBias ? new FloatStorage(new float[cols]) : null;
            reference.biasReluBackward(expected, g, ze, be, rows, cols);
            fast.biasReluBackward(actual, g, za, ba, rows, cols);
            assertClose(ze, za, 0);
            if (withBias) {
                assertClose(be, ba, 1e-5);
            }
        }
    }

    @Test
    void columnSumsAndCopies() {
        FloatStorage x = random(3 * 50 * 21);
        FloatStorage e = new FloatStorage(new float[3 * 21]), a = new FloatStorage(new float[3 * 21]);
        reference.reduce(ReduceOp.SUM, x, 3, 50, 21, e);
        fast.reduce(ReduceOp.SUM, x, 3, 50, 21, a);
        assertClose(e, a, 1e-5);
        for (int n : new int[] {1, 7, 8, 576, 1001}) { // row sums (inner = 1), with and without a tail
            FloatStorage rows = random(5 * n);
            FloatStorage re = new FloatStorage(new float[5]), ra = new FloatStorage(new float[5]);
            reference.reduce(ReduceOp.SUM, rows, 5, n, 1, re);
            fast.reduce(ReduceOp.SUM, rows, 5, n, 1, ra);
            assertClose(re, ra, 1e-5);
        }
        int[] dims = {4, 3, 5};
        int[] srcStrides = {15 * 2, 5 * 2, 1};
        FloatStorage src = random(4 * 30), ce = new FloatStorage(new float[60]), ca = new FloatStorage(new float[60]);
        reference.copy(src, 1, srcStrides, ce, 0, new int[] {15, 5, 1}, dims);
        fast.copy(src, 1, srcStrides, ca, 0, new int[] {15, 5, 1}, dims);
        assertClose(ce, ca, 0);
        // a transpose, and a time-reversed copy (negative stride), as Recurrence does them
        FloatStorage te = new FloatStorage(new float[60]), ta = new FloatStorage(new float[60]);
        reference.copy(src, 2, new int[] {1, 12}, te, 0, new int[] {5, 1}, new int[] {12, 5});
        fast.copy(src, 2, new int[] {1, 12}, ta, 0, new int[] {5, 1}, new int[] {12, 5});
        assertClose(te, ta, 0);
        reference.copy(src, 40, new int[] {-10, 20, 1}, te, 0, new int[] {30, 10, 1}, new int[] {2, 3, 10});
        fast.copy(src, 40, new int[] {-10, 20, 1}, ta, 0, new int[] {30, 10, 1}, new int[] {2, 3, 10});
        assertClose(te, ta, 0);
    }

    @ParameterizedTest // many rows (A or B packed whole, shared by the tasks) against 64 of them (column tiles); k over 3 depth blocks
    @CsvSource({"256,600,200", "300,600,1100", "130,257,33", "128,600,128"})
    void rowsOfAManyRowProductEqualThoseOfAFewRowProduct(int m, int k, int n) {
        int first = 64, rows = 64;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                FloatStorage a = random(m * k), b = random(k * n);
                FloatStorage all = new FloatStorage(new float[m * n]);
                fast.matmul(a, 0, ta, b, 0, tb, all, 0, m, k, n);
                FloatStorage few = new FloatStorage(new float[rows * k]); // rows first.. of op(A), stored as op says
                for (int i = 0; i < rows; i++) {
                    for (int p = 0; p < k; p++) {
                        few.set(ta ? p * rows + i : i * k + p, ta ? a.get(p * m + first + i) : a.get((first + i) * k + p));
                    }
                }
                FloatStorage part = new FloatStorage(new float[rows * n]);
                fast.matmul(few, 0, ta, b, 0, tb, part, 0, rows, k, n);
                for (int e = 0; e < rows * n; e++) {
                    assertEquals(all.get(first * n + e), part.get(e), "transA " + ta + ", transB " + tb + ", element " + e);
                }
            }
        }
    }

    @ParameterizedTest // A packed once against A packed by each product: column tiles and rows over a shared B,
    @CsvSource({"7,600,45", "64,288,576", "288,64,576", "130,513,70"}) // several depth blocks, partial strips
    void aLeftOperandPackedOnceGivesTheSameProduct(int m, int k, int n) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(m * k).data(), b = random(k * n).data(), c = new float[m * n + 1], packed = new float[m * n + 1];
                Gemm.multiply(a, 0, ta, b, 0, tb, c, 1, m, k, n);
                Gemm.multiplyPackedA(Gemm.packA(a, 0, ta, m, k), Gemm.stored(b, 0, tb, k, n), packed, 1, m, k, n);
                assertArrayEquals(c, packed, "transA " + ta + ", transB " + tb);
            }
        }
    }

    @ParameterizedTest // empty products, the few-row path (m < MR, transposed B) among them: C = 0, nothing past it
    @CsvSource({"1,0,5", "3,0,40", "70,0,9", "0,4,5", "2,3,0"})
    void anEmptySumGivesZerosAndAnEmptyProductWritesNothing(int m, int k, int n) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] c = new float[m * n + 2];
                java.util.Arrays.fill(c, Float.NaN);
                Gemm.multiply(new float[m * k], 0, ta, new float[k * n], 0, tb, c, 1, m, k, n);
                for (int e = 0; e < c.length; e++) {
                    boolean inside = e >= 1 && e <= m * n;
                    assertEquals(inside ? 0f : Float.NaN, c[e], "transA " + ta + ", transB " + tb + ", element " + e);
                }
            }
        }
    }

    @ParameterizedTest // m above and within one packed block of A's rows (Gemm.MC), which tile C differently
    @CsvSource({"200,600,300", "64,784,128", "1,784,128", "32,300,1000", "256,784,1024", "320,300,400", "400,300,320", "128,600,128"})
    void resultsDoNotDependOnTheThreadCount(int m, int k, int n) {
        FloatStorage a = random(m * k), b = random(k * n);
        FloatStorage one = new FloatStorage(new float[m * n]), two = new FloatStorage(new float[m * n]);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            fast.matmul(a, 0, false, b, 0, true, one, 0, m, k, n);
            Parallel.setThreads(2);
            fast.matmul(a, 0, false, b, 0, true, two, 0, m, k, n);
        } finally {
            Parallel.setThreads(before);
        }
        assertClose(one, two, 0);
    }

    @Test // buffers of several parallel chunks (VectorKernels.GRAIN) and a tail: the same bits on 1 and 2 threads
    void elementWisePassesDoNotDependOnTheThreadCount() {
        int n = 3 * VectorKernels.GRAIN + 5, cols = 1000;
        FloatStorage x = random(n), g = random(n), row = random(cols), m = random(n), v = random(n);
        for (int i = 0; i < n; i++) { // Adam's second moment is not negative
            v.data()[i] = Math.abs(v.data()[i]);
        }
        FloatStorage[][] results = new FloatStorage[2][];
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                FloatStorage relu = new FloatStorage(new float[n]), reluGrad = new FloatStorage(new float[n]);
                FloatStorage product = new FloatStorage(new float[n]), rowSum = new FloatStorage(new float[n]);
                FloatStorage scaled = (FloatStorage) x.copy(), biasRelu = (FloatStorage) x.copy();
                FloatStorage ag = (FloatStorage) g.copy(), am = (FloatStorage) m.copy(), av = (FloatStorage) v.copy();
                fast.unary(UnaryOp.RELU, 0, x, relu);
                fast.unaryBackward(UnaryOp.RELU, 0, x, relu, g, reluGrad);
                fast.binary(BinaryOp.MUL, x, Shape.of(n), new FloatStorage(new float[] {1.7f}), Shape.scalar(), product, Shape.of(n));
                fast.binary(BinaryOp.ADD, x, Shape.of(n / cols, cols), row, Shape.of(cols), rowSum, Shape.of(n / cols, cols));
                fast.scaleInPlace(scaled, -0.37);
                fast.biasRelu(biasRelu, row, n / cols, cols);
                fast.fusedAdam(ag, am, av, 0.9, 0.999, 0.1, 0.001, 1e-8, 0);
                FloatStorage sums = new FloatStorage(new float[n / 100]);
                fast.reduce(ReduceOp.SUM, x, n / 100, 100, 1, sums);
                results[threads - 1] = new FloatStorage[] {relu, reluGrad, product, rowSum, scaled, biasRelu, ag, am, av, sums};
            }
        } finally {
            Parallel.setThreads(before);
        }
        for (int i = 0; i < results[0].length; i++) {
            assertClose(results[0][i], results[1][i], 0);
        }
        FloatStorage expected = new FloatStorage(new float[n]);
        reference.unaryBackward(UnaryOp.RELU, 0, x, expected, g, expected);
        assertClose(expected, results[0][1], 0);
        expected = new FloatStorage(new float[n]);
        reference.binary(BinaryOp.ADD, x, Shape.of(n / cols, cols), row, Shape.of(cols), expected, Shape.of(n / cols, cols));
        assertClose(expected, results[0][3], 0);
    }

    @Test
    void scalesInPlace() {
        FloatStorage g = random(37), ge = (FloatStorage) g.copy();
        reference.scaleInPlace(ge, -0.37);
        fast.scaleInPlace(g, -0.37);
        assertClose(ge, g, 1e-5);
    }

    @Test
    void adamHasAFastFormForFloatsOnly() {
        // the fast form's values are checked against ScaleByAdam's rule in dev.descent.optim.AdamRuleTest
        FloatStorage g = random(3), m = random(3), v = random(3);
        assertTrue(fast.fusedAdam(g, m, v, 0.9, 0.999, 0.1, 0.001, 1e-8, 0));
        assertFalse(reference.fusedAdam(g, m, v, 0.9, 0.999, 0.1, 0.001, 1e-8, 0));
        Storage d = new DoubleStorage(new double[3]);
        assertFalse(fast.fusedAdam(d, d, d, 0.9, 0.999, 0.1, 0.001, 1e-8, 0));
    }
}
