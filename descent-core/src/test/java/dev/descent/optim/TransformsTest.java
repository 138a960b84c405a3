package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The building blocks optimizers are chained from, and the Java API's aliases over them. */
class TransformsTest {
    private static final double[] X0 = {-1, 10, 1};
    private static final double[] TARGET = {1, -1, 1};

    private static Params vector(String name, double... values) {
        return new Params(List.of(name), List.of(Tensor.of(values, values.length)));
    }

    /** Runs {@code tx} for {@code steps} updates on one float64 vector with gradient {@code grad(x)}. */
    private static double[] minimize(GradientTransformation tx, double[] x0, UnaryOperator<double[]> grad, int steps) {
        Params params = vector("x", x0);
        OptState state = tx.init(params);
        for (int s = 0; s < steps; s++) {
            GradientTransformation.Update r = tx.update(vector("x", grad.apply(params.get(0).toDoubleArray())),
                    state, params, UpdateContext.none());
            params.get(0).addInPlace(r.updates().get(0));
            state = r.state();
        }
        return params.get(0).toDoubleArray();
    }

    private static double[] parabolaGrad(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = 2 * (x[i] - TARGET[i]);
        }
        return g;
    }

    @Test
    void scaleByRmsWithBiasCorrectionEqualsAdamWithoutFirstMoment() {
        // optax: scale_by_rms(decay=0.999, eps_in_sqrt=False, bias_correction=True) == scale_by_adam(b1=0)
        UnaryOperator<double[]> grad = x -> new double[] {2 * x[0], 2 * x[1]};
        double[] rms = minimize(Transforms.chain(Transforms.scaleByRms(0.999, 1e-8, false, true),
                Transforms.scaleByLearningRate(0.1)), new double[] {3, -4}, grad, 5);
        double[] adam = minimize(Transforms.chain(Transforms.scaleByAdam(0, 0.999, 1e-8, 0),
                Transforms.scaleByLearningRate(0.1)), new double[] {3, -4}, grad, 5);
        assertArrayEquals(adam, rms, 1e-15);
    }

    @Test
    void chainStateHoldsOneStatePerElement() {
        Params params = vector("x", X0);
        OptState state = Optimizers.adam(0.1).init(params);
        Chain.ChainState chain = assertInstanceOf(Chain.ChainState.class, state);
        assertEquals(2, chain.states().size());
        ScaleByAdam.AdamState adam = assertInstanceOf(ScaleByAdam.AdamState.class, chain.states().get(0));
        assertEquals(0, adam.count());
        assertEquals(List.of("x"), adam.mu().names());
        assertArrayEquals(new int[] {3}, adam.nu().get(0).dims());
        assertInstanceOf(OptState.Empty.class, chain.states().get(1));

        GradientTransformation.Update r = Optimizers.adam(0.1).update(vector("x", 1, 2, 3), state, params,
                UpdateContext.none());
        ScaleByAdam.AdamState after = (ScaleByAdam.AdamState) ((Chain.ChainState) r.state()).states().get(0);
        assertEquals(1, after.count());
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, after.mu().get(0).toDoubleArray(), 1e-15);
    }

    @Test
    void aliasesMatchOptaxReferenceTrajectory() {
        // optimizers.md §8.4, parabola from x0 = [−1, 10, 1], optax 0.2.8 float64 (10 digits)
        Map<GradientTransformation, double[][]> cases = Map.of(
                Optimizers.adam(0.1), new double[][] {{-0.9000000003, 9.9, 1}, {-0.8001664861, 9.8000248467, 1},
                        {-0.700623392, 9.7000913518, 1}},
                Optimizers.rmsprop(0.005), new double[][] {{-0.9841886117, 9.9841886117, 1},
                        {-0.9727610502, 9.972725644, 1}, {-0.9632142306, 9.9631313712, 1}},
                Optimizers.rmsprop(0.005, 0.9, 1e-8, true, 0.9, false), new double[][] {
                        {-0.9841886117, 9.9841886117, 1}, {-0.9585308007, 9.9584953946, 1},
                        {-0.9259358832, 9.9257850931, 1}},
                Optimizers.sgd(0.001, 0.9, false), new double[][] {{-0.996, 9.978, 1}, {-0.988408, 9.936244, 1},
                        {-0.977598384, 9.876791112, 1}});
        cases.forEach((tx, expected) -> {
            for (int s = 0; s < 3; s++) {
                assertArrayEquals(expected[s], minimize(tx, X0, TransformsTest::parabolaGrad, s + 1), 1e-9);
            }
        });
    }

    @Test
    void everyAliasMinimizesTheParabola() {
        List<GradientTransformation> aliases = List.of(Optimizers.sgd(0.1), Optimizers.sgd(1e-3, 0.9, false),
                Optimizers.sgd(1e-3, 0.9, true), Optimizers.momentum(0.01, 0.9), Optimizers.rmsprop(5e-3),
                Optimizers.rmsprop(0.01, 0.9, 1e-7), Optimizers.rmsprop(5e-3, 0.9, 1e-8, false, 0.9, true),
                Optimizers.adam(0.1), Optimizers.adam(Schedule.exponentialDecay(0.1, 1000, 0.5), 0.9, 0.999, 1e-8, 0));
        for (GradientTransformation tx : aliases) {
            double[] x = minimize(tx, X0, TransformsTest::parabolaGrad, 5000);
            for (int i = 0; i < x.length; i++) {
                assertEquals(TARGET[i], x[i], 3e-2 + 3e-2 * Math.abs(TARGET[i]));
            }
        }
    }

    @Test
    void nesterovUsesTheNewTrace() {
        // τ ← g + 0.5·τ; u = g + 0.5·τ: g = 1, 1 → τ = 1, 1.5; u = 1.5, 1.75
        GradientTransformation tx = Transforms.trace(0.5, true);
        Params p = vector("x", 0);
        OptState s = tx.init(p);
        GradientTransformation.Update r = tx.update(vector("x", 1), s, p, UpdateContext.none());
        assertEquals(1.5, r.updates().get(0).item());
        r = tx.update(vector("x", 1), r.state(), p, UpdateContext.none());
        assertEquals(1.75, r.updates().get(0).item());
    }

    @Test
    void learningRateScheduleStartsAtCountZero() {
        GradientTransformation tx = Transforms.scaleByLearningRate(c -> c + 1.0);
        Params p = vector("x", 0);
        OptState s = tx.init(p);
        for (int c = 0; c < 3; c++) {
            GradientTransformation.Update r = tx.update(vector("x", 2), s, p, UpdateContext.none());
            assertEquals(-2.0 * (c + 1), r.updates().get(0).item());
            s = r.state();
        }
        assertEquals(new ScaleBySchedule.CountState(3), s);
    }

    @Test
    void clippingAndWeightDecay() {
        Params p = vector("x", 1, 2);
        assertArrayEquals(new double[] {0.5, -0.5, 0.25}, apply(Transforms.clip(0.5), vector("x", 3, -4, 0.25)), 0);
        // ‖(3, 4)‖ = 5 > 1 → × 1/5
        assertArrayEquals(new double[] {0.6, 0.8}, apply(Transforms.clipByGlobalNorm(1), vector("x", 3, 4)), 1e-15);
        assertArrayEquals(new double[] {3, 4}, apply(Transforms.clipByGlobalNorm(6), vector("x", 3, 4)), 0);
        GradientTransformation decay = Transforms.addDecayedWeights(0.1);
        assertArrayEquals(new double[] {1.1, 1.2},
                decay.update(vector("x", 1, 1), decay.init(p), p, UpdateContext.none()).updates().get(0).toDoubleArray(),
                1e-15);
    }

    private static double[] apply(GradientTransformation tx, Params g) {
        return tx.update(g, tx.init(g), g, UpdateContext.none()).updates().get(0).toDoubleArray();
    }

    @Test
    void maskedRunsInnerOnSelectedParametersOnly() {
        Params params = new Params(List.of("fc.weight", "fc.bias"),
                List.of(Tensor.of(new double[] {1, 2}, 2), Tensor.of(new double[] {3}, 1)));
        GradientTransformation tx = Transforms.masked(Transforms.chain(Transforms.clipByGlobalNorm(1),
                Transforms.trace(0.9, false)), name -> name.endsWith("weight"));
        OptState state = tx.init(params);
        Trace.TraceState inner = (Trace.TraceState) ((Chain.ChainState) ((Masked.MaskedState) state).inner())
                .states().get(1);
        assertEquals(List.of("fc.weight"), inner.trace().names());
        Tensor bias = Tensor.of(new double[] {30}, 1);
        GradientTransformation.Update r = tx.update(new Params(params.names(),
                List.of(Tensor.of(new double[] {3, 4}, 2), bias)), state, params, UpdateContext.none());
        assertArrayEquals(new double[] {0.6, 0.8}, r.updates().get(0).toDoubleArray(), 1e-15); // norm of weight only
        assertSame(bias, r.updates().get(1));
        assertEquals(List.of("fc.weight", "fc.bias"), r.updates().names());
    }

    @Test
    void noisySgdWithoutNoiseIsSgd() {
        double[][] noisy = Problem.PARABOLA.run(Optimizers.noisySgd(Schedule.constant(1e-3), 0, 0.55, 7), 1, 50);
        double[][] plain = Problem.PARABOLA.run(Optimizers.sgd(1e-3), 1, 50);
        assertArrayEquals(plain[0], noisy[0], 0);
        assertArrayEquals(plain[1], noisy[1], 0);
    }

    @Test
    void noiseIsSeededAndAnnealed() {
        int n = 20_000;
        double eta = 0.01, gamma = 0.55;
        GradientTransformation tx = Transforms.addNoise(eta, gamma, 42);
        Params zeros = new Params(List.of("x"), List.of(Tensor.of(new double[n], n)));
        OptState state = tx.init(zeros);
        for (int t = 1; t <= 3; t++) {
            GradientTransformation.Update r = tx.update(zeros.copy(), state, zeros, UpdateContext.none());
            double[] u = r.updates().get(0).toDoubleArray();
            double mean = 0, sq = 0;
            for (double v : u) {
                mean += v / n;
                sq += v * v / n;
            }
            double variance = eta / Math.pow(t, gamma);
            assertEquals(0, mean, 4 * Math.sqrt(variance / n), "mean at t=" + t);
            assertEquals(variance, sq - mean * mean, 0.05 * variance, "variance at t=" + t);
            state = r.state();
        }
        assertEquals(3, ((AddNoise.NoiseState) state).count());
        double[] a = tx.update(zeros.copy(), tx.init(zeros), zeros, UpdateContext.none()).updates().get(0).toDoubleArray();
        double[] b = tx.update(zeros.copy(), tx.init(zeros), zeros, UpdateContext.none()).updates().get(0).toDoubleArray();
        assertArrayEquals(a, b, 0);
        GradientTransformation other = Transforms.addNoise(eta, gamma, 43);
        assertNotEquals(a[0], other.update(zeros.copy(), other.init(zeros), zeros, UpdateContext.none())
                .updates().get(0).toDoubleArray()[0]);
    }

    @Test
    void centeredRmspropDividesByTheStandardDeviation() {
        // one step from μ = ν = 0, decay 0.9: μ = 0.1·g, ν = 0.1·g², var = 0.09·g²; u = −lr·g/√(0.09·g² + eps)
        GradientTransformation tx = OptimizerRegistry.create("rmsprop", "lr=0.5,centered=1,eps=1e-8");
        Params p = Problem.vector(1, 2);
        Params g = Problem.vector(3, -0.5);
        GradientTransformation.Update r = tx.update(g, tx.init(p), p, UpdateContext.none());
        assertArrayEquals(new double[] {-0.5 * 3 / Math.sqrt(0.09 * 9 + 1e-8), 0.5 * 0.5 / Math.sqrt(0.09 * 0.25 + 1e-8)},
                r.updates().get(0).toDoubleArray(), 1e-15);
        // second step with g = 1: μ = 0.09·3 + 0.1, ν = 0.09·9 + 0.1; eps outside the root
        GradientTransformation outside = Transforms.scaleByStddev(0.9, 1e-8, false, false);
        OptState s = outside.update(Problem.vector(3), outside.init(Problem.vector(0)), p, UpdateContext.none()).state();
        double mu = 0.1 * 1 + 0.9 * 0.3, nu = 0.1 * 1 + 0.9 * 0.9;
        assertEquals(1 / (Math.sqrt(nu - mu * mu) + 1e-8),
                outside.update(Problem.vector(1), s, p, UpdateContext.none()).updates().get(0).item(), 1e-15);
    }
}
