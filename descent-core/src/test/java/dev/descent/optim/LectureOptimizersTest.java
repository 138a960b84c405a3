package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The lecture's SGD, momentum, RMS-Prop and Adam, three steps on w₀ = [1, −2] with the
 * (batch-mean) gradients g₁ = [0.5, −1], g₂ = [0.25, 2], g₃ = [−1, 0.5], against values
 * worked out from the lecture's formulas (float64).
 */
class LectureOptimizersTest {
    private static final double[][] GRADS = {{0.5, -1}, {0.25, 2}, {-1, 0.5}};

    /** The parameter after each of the three steps. */
    private static double[][] run(GradientTransformation tx) {
        Tensor w = Tensor.of(new double[] {1, -2}, 2);
        Optimizer opt = new Optimizer(tx, new Params(List.of("w"), List.of(w)));
        double[][] out = new double[GRADS.length][];
        for (int s = 0; s < GRADS.length; s++) {
            w.setGrad(Tensor.of(GRADS[s], 2));
            opt.step();
            out[s] = w.toDoubleArray();
        }
        return out;
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        for (int s = 0; s < expected.length; s++) {
            assertArrayEquals(expected[s], actual[s], 1e-12, "after step " + (s + 1));
        }
    }

    @Test
    void sgd() {
        // w := w − η·g, η = 0.1
        // step 1: 1 − 0.1·0.5 = 0.95          −2 − 0.1·(−1) = −1.9
        // step 2: 0.95 − 0.1·0.25 = 0.925     −1.9 − 0.1·2 = −2.1
        // step 3: 0.925 − 0.1·(−1) = 1.025    −2.1 − 0.1·0.5 = −2.15
        assertSteps(new double[][] {{0.95, -1.9}, {0.925, -2.1}, {1.025, -2.15}}, run(Optimizers.sgd(0.1)));
    }

    @Test
    void momentum() {
        // v := α·v − η·g; w := w + v, α = 0.9, η = 0.1, v₀ = 0
        // step 1: v = −0.05, 0.1                          w = 0.95, −1.9
        // step 2: v = 0.9·(−0.05) − 0.025 = −0.07         w = 0.88
        //         v = 0.9·0.1 − 0.2 = −0.11               w = −2.01
        // step 3: v = 0.9·(−0.07) + 0.1 = 0.037           w = 0.917
        //         v = 0.9·(−0.11) − 0.05 = −0.149         w = −2.159
        double[][] expected = {{0.95, -1.9}, {0.88, -2.01}, {0.917, -2.159}};
        assertSteps(expected, run(Optimizers.momentum(0.1, 0.9)));
        // optax/PyTorch heavy ball equals the velocity form for a constant rate
        assertSteps(expected, run(Optimizers.sgd(0.1, 0.9, false)));
    }

    @Test
    void rmsProp() {
        // r := ρ·r + (1−ρ)·g²; w := w − η·g/√(r + ε), ρ = 0.9, η = 0.01, ε = 1e-7
        // step 1: r = 0.1·0.25 = 0.025                  w = 1 − 0.005/√0.0250001 = 0.96837728664368
        //         r = 0.1·1 = 0.1                        w = −2 + 0.01/√0.1000001 = −1.96837723920969
        // step 2: r = 0.9·0.025 + 0.1·0.0625 = 0.02875   w −= 0.0025/√0.0287501 → 0.95363311667020
        //         r = 0.9·0.1 + 0.1·4 = 0.49             w −= 0.02/√0.4900001  → −1.99694866486567
        // step 3: r = 0.9·0.02875 + 0.1·1 = 0.125875     w += 0.01/√0.1258751  → 0.98181889848258
        //         r = 0.9·0.49 + 0.1·0.25 = 0.466        w −= 0.005/√0.4660001 → −2.00427314827114
        double[][] expected = {
                {0.9683772866436797, -1.9683772392096925},
                {0.9536331166702025, -1.9969486648656696},
                {0.9818188984825762, -2.004273148271144}};
        assertSteps(expected, run(Optimizers.rmsprop(0.01, 0.9, 1e-7)));
    }

    @Test
    void adam() {
        // s := β1·s + (1−β1)·g; r := β2·r + (1−β2)·g²; w := w − η·(s/(1−β1^t))/(√(r/(1−β2^t)) + ε)
        // β1 = 0.9, β2 = 0.999, η = 0.1, ε = 1e-8
        // t=1: s = 0.05, −0.1; r = 0.00025, 0.001; ŝ = ±0.5·…: ŝ/√r̂ = 0.5/0.5, −1/1
        //      w = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002,  −2 + 0.1·1/(1 + 1e-8) = −1.900000001
        // t=2: s = 0.9·0.05 + 0.1·0.25 = 0.07, 0.9·(−0.1) + 0.1·2 = 0.11
        //      r = 0.999·0.00025 + 0.001·0.0625 = 0.00031225, 0.999·0.001 + 0.001·4 = 0.004999
        //      ŝ = s/0.19, r̂ = r/0.001999: w = 0.900000002 − 0.1·0.368421/(0.395225 + 1e-8) = 0.80678204047746
        //                                  w = −1.900000001 − 0.1·0.578947/(1.581390 + 1e-8) = −1.93661035347207
        // t=3: s = 0.9·0.07 − 0.1 = −0.037, 0.9·0.11 + 0.05 = 0.149
        //      r = 0.999·0.00031225 + 0.001 = 0.00131193775, 0.999·0.004999 + 0.00025 = 0.005244001
        //      ŝ = s/0.271, r̂ = r/0.002997001: w = 0.82741774288541, −1.97817547314677
        double[][] expected = {
                {0.9000000019999999, -1.900000001},
                {0.8067820404774622, -1.9366103534720749},
                {0.8274177428854113, -1.9781754731467738}};
        assertSteps(expected, run(Optimizers.adam(0.1, 0.9, 0.999, 1e-8)));
    }
}
