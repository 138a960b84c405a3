package dev.descent.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 fast path of {@link Recurrence} (packed recurrent weights, SIMD gates) against the
 * float64 reference path, which the gradient checks of OpGradientTest cover; and its independence
 * from the thread count.
 */
class RecurrenceTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "5,7,9", "4,16,16", "33,300,130", "64,128,512", "3,513,17"})
    void packedProductIsTheSameAsThePlainOne(int m, int k, int n) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = floats(rng, m * k + 2), b = floats(rng, k * n);
        for (boolean transB : new boolean[] {false, true}) {
            float[] plain = new float[m * n + 1], packed = new float[m * n + 1], sum = floats(rng, m * n + 1);
            float[] start = sum.clone();
            Gemm.multiply(a, 2, false, b, 0, transB, plain, 1, m, k, n);
            float[] pack = new float[Gemm.packedSize(k, n)];
            Gemm.pack(b, 0, transB, k, n, pack);
            Gemm.multiplyPacked(a, 2, false, pack, k, n, packed, 1, m, false);
            assertArrayEquals(plain, packed, "bit for bit, transB " + transB);
            Gemm.multiplyPacked(a, 2, false, pack, k, n, sum, 1, m, true);
            for (int i = 1; i < sum.length; i++) {
                assertEquals(start[i] + plain[i], sum[i], 1e-5 * Math.sqrt(k) * (1 + Math.abs(plain[i])), "accumulated " + i);
            }
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** Input, weights, biases, initial states and output gradient of a layer, in float64. */
    private record Problem(RecurrentCell cell, Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0,
                           Tensor g) {
        static Problem random(RecurrentCell cell, int batch, int steps, int features, int hidden, boolean initial, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            int width = cell.gates() * hidden;
            double bound = 1 / Math.sqrt(hidden);
            return new Problem(cell, normal(rng, batch, steps, features),
                    uniform(rng, bound, width, features), uniform(rng, bound, width, hidden),
                    uniform(rng, bound, width), uniform(rng, bound, width),
                    initial ? normal(rng, batch, hidden) : null,
                    initial && cell == RecurrentCell.LSTM ? normal(rng, batch, hidden) : null,
                    normal(rng, batch, steps, hidden));
        }

        /** Output, final states and the gradients of x, W_ih, W_hh, b_ih and b_hh for {@code Σ y·g}, in {@code dtype}. */
        List<Tensor> run(DType dtype, boolean reverse) {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : new Tensor[] {x, wIh, wHh, bIh, bHh}) {
                leaves.add(t.to(dtype).copy().requiresGrad(true));
            }
            Recurrence.Result r = Recurrence.forward(cell, leaves.get(0), leaves.get(1), leaves.get(2), leaves.get(3),
                    leaves.get(4), h0 == null ? null : h0.to(dtype), c0 == null ? null : c0.to(dtype), reverse);
            r.output().mul(g.to(dtype)).sum().backward();
            List<Tensor> results = new ArrayList<>(List.of(r.output(), r.h()));
            if (r.c() != null) {
                results.add(r.c());
            }
            leaves.forEach(leaf -> results.add(leaf.grad()));
            return results;
        }
    }

    private static Tensor normal(SplittableRandom rng, int... dims) {
        return Tensor.normal(rng, DType.FLOAT64, Shape.of(dims), 0, 1);
    }

    private static Tensor uniform(SplittableRandom rng, double bound, int... dims) {
        return Tensor.uniform(rng, DType.FLOAT64, Shape.of(dims), -bound, bound);
    }

    @ParameterizedTest
    @CsvSource({"RNN,13", "RNN,16", "LSTM,13", "LSTM,16", "LSTM,40", "GRU,13", "GRU,16", "GRU,21"})
    void float32MatchesTheFloat64Reference(RecurrentCell cell, int hidden) {
        for (boolean reverse : new boolean[] {false, true}) {
            for (boolean initial : new boolean[] {false, true}) {
                Problem p = Problem.random(cell, 5, 6, 7, hidden, initial, hidden * 31L + (reverse ? 1 : 0));
                List<Tensor> reference = p.run(DType.FLOAT64, reverse), fast = p.run(DType.FLOAT32, reverse);
                for (int i = 0; i < reference.size(); i++) {
                    Tensor e = reference.get(i), a = fast.get(i);
                    assertArrayEquals(e.dims(), a.dims());
                    for (int j = 0; j < e.size(); j++) {
                        double ev = e.storage().get(j), av = a.storage().get(j);
                        int result = i, element = j;
                        assertTrue(Math.abs(ev - av) <= 2e-5 * (1 + Math.abs(ev)), () -> cell + " reverse " + reverse
                                + " initial " + initial + ": result " + result + " element " + element + ": " + ev + " vs " + av);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RNN,FLOAT64", "LSTM,FLOAT64", "GRU,FLOAT64", "LSTM,FLOAT32", "GRU,FLOAT32"})
    void tokensGiveWhatTheLookedUpRowsGive(RecurrentCell cell, DType dtype) {
        int batch = 3, steps = 5, vocabulary = 6;
        int[] ids = new SplittableRandom(2).ints(batch * steps, 0, vocabulary).toArray();
        Problem p = Problem.random(cell, vocabulary, 1, 4, 9, false, 3); // its x [6, 1, 4] serves as the table
        for (boolean reverse : new boolean[] {false, true}) {
            Tensor table = p.x().reshape(vocabulary, 4).to(dtype).copy().requiresGrad(true);
            Tensor rows = table.indexSelect(0, ids).reshape(batch, steps, 4);
            List<Tensor> weights = new ArrayList<>();
            for (Tensor w : new Tensor[] {p.wIh(), p.wHh(), p.bIh(), p.bHh()}) {
                weights.add(w.to(dtype).copy().requiresGrad(true));
            }
            Tensor g = Tensor.normal(new SplittableRandom(4), DType.FLOAT64, Shape.of(batch, steps, 9), 0, 1).to(dtype);
            Tensor looked = Recurrence.forward(cell, rows, weights.get(0), weights.get(1), weights.get(2), weights.get(3),
                    null, null, reverse).output();
            looked.mul(g).sum().backward();
            List<Tensor> expected = new ArrayList<>(List.of(looked, table.grad()));
            weights.forEach(w -> expected.add(w.grad()));
            table.zeroGrad();
            weights.forEach(Tensor::zeroGrad);
            Tensor fused = Recurrence.forwardTokens(cell, ids, batch, steps, table, weights.get(0), weights.get(1),
                    weights.get(2), weights.get(3), null, null, reverse).output();
            fused.mul(g).sum().backward();
            List<Tensor> actual = new ArrayList<>(List.of(fused, table.grad()));
            weights.forEach(w -> actual.add(w.grad()));
            double tolerance = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
            for (int i = 0; i < expected.size(); i++) {
                for (int j = 0; j < expected.get(i).size(); j++) {
                    double e = expected.get(i).storage().get(j), a = actual.get(i).storage().get(j);
                    assertEquals(e, a, tolerance * (1 + Math.abs(e)), cell + " reverse " + reverse + " result " + i + " element " + j);
                }
            }
        }
    }

    @Test
    void float32ResultsDoNotDependOnTheThreadCount() {
        for (RecurrentCell cell : RecurrentCell.values()) {
            Problem p = Problem.random(cell, 13, 5, 6, 12, true, 5);
            int before = Parallel.threads();
            try {
                Parallel.setThreads(1);
                List<Tensor> one = p.run(DType.FLOAT32, false);
                Parallel.setThreads(2);
                List<Tensor> two = p.run(DType.FLOAT32, false);
                Parallel.setThreads(3);
                List<Tensor> three = p.run(DType.FLOAT32, true);
                Parallel.setThreads(1);
                List<Tensor> oneReversed = p.run(DType.FLOAT32, true);
                for (int i = 0; i < one.size(); i++) {
                    assertArrayEquals(one.get(i).toFloatArray(), two.get(i).toFloatArray(), cell + " result " + i);
                    assertArrayEquals(oneReversed.get(i).toFloatArray(), three.get(i).toFloatArray(), cell + " reversed " + i);
                }
            } finally {
                Parallel.setThreads(before);
            }
        }
    }
}
