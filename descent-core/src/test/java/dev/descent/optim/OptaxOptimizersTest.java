package dev.descent.optim;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.io.StateCodec;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optax optimizers beyond the lecture's: registry rows, noisy_sgd, centered RMSProp, resume. */
class OptaxOptimizersTest {
    private static final List<String> NAMES = List.of("adabelief", "adadelta", "adagrad", "adamax", "adamaxw",
            "adamw", "amsgrad", "lion", "nadam", "nadamw", "noisy_sgd", "radam", "sign_sgd", "yogi");
    /** optax has a weight_decay argument for these (adadelta's is L2 before the scaling). */
    private static final List<String> WITH_WEIGHT_DECAY = List.of("adabelief", "adadelta", "adamaxw", "adamw",
            "lion", "nadamw");

    @Test
    void registryOffersEveryOptimizerWithOptaxDefaults() {
        assertTrue(OptimizerRegistry.names().containsAll(NAMES), OptimizerRegistry.names().toString());
        String help = OptimizerRegistry.describe();
        for (String name : NAMES) {
            assertTrue(help.contains(name + " "), help);
            Map<String, Double> defaults = OptimizerRegistry.defaults(name);
            assertEquals(WITH_WEIGHT_DECAY.contains(name), defaults.containsKey("weight_decay"), name);
            assertTrue(defaults.containsKey("lr"), name);
            GradientTransformation tx = OptimizerRegistry.create(name, Map.of());
            double[] x = Problem.PARABOLA.run(tx, 1)[0];
            assertTrue(x[0] > -1 && x[1] < 10, name + " did not descend: " + java.util.Arrays.toString(x));
        }
        assertEquals(Map.of("lr", 0.1, "b1", 0.9, "b2", 0.999, "eps", 1e-8, "eps_root", 0.0, "weight_decay", 1e-4),
                OptimizerRegistry.defaults("adamw"));
        assertEquals(Map.of("lr", 1e-2, "b1", 0.9, "b2", 0.99, "weight_decay", 1e-3), OptimizerRegistry.defaults("lion"));
        assertEquals(1e-3, OptimizerRegistry.defaults("yogi").get("eps"));
        assertEquals(1.0, OptimizerRegistry.defaults("adadelta").get("lr")); // optax: None (ascent); PyTorch's 1
        assertEquals(0.0, OptimizerRegistry.defaults("rmsprop").get("centered"));
    }

    @Test
    void registryRowsReproduceTheOptaxTrajectories() {
        // §8.4: adamw(lr=0.1) and lion(lr=0.01, wd=1e-4) step 2 on the parabola
        assertArrayEquals(new double[] {-0.8001475066, 9.7998258737, 1.0743411144},
                Problem.PARABOLA.run(OptimizerRegistry.create("adamw", ""), 2)[0], 1e-9);
        assertArrayEquals(new double[] {-0.97999801, 9.97998001, 1.009998},
                Problem.PARABOLA.run(OptimizerRegistry.create("lion", "weight_decay=1e-4"), 2)[0], 1e-9);
        assertArrayEquals(new double[] {-0.9996837723, 9.9996837722, 1},
                Problem.PARABOLA.run(OptimizerRegistry.create("adadelta", "lr=0.1"), 1)[0], 1e-9);
        DescentException e = assertThrows(DescentException.class,
                () -> OptimizerRegistry.create("noisy_sgd", "seed=1.5"));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
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

    @ParameterizedTest
    @ValueSource(strings = {"adabelief", "adadelta", "adagrad", "adamax", "adamaxw", "adamw", "amsgrad", "lion",
            "nadam", "nadamw", "noisy_sgd", "radam", "sign_sgd", "yogi"})
    void resumesBitForBitFromASavedState(String name) {
        // the state passes through StateCodec and JSON (scalars) as in a checkpoint; noisy_sgd's key
        // is a full 64-bit long after the first step
        Params straight = Problem.vector(-1, 10, 1);
        Params resumed = Problem.vector(-1, 10, 1);
        GradientTransformation tx = OptimizerRegistry.create(name, "");
        OptState full = tx.init(straight);
        OptState half = tx.init(resumed);
        for (int s = 0; s < 6; s++) {
            full = step(tx, straight, full);
            if (s < 3) {
                half = step(tx, resumed, half);
            }
        }
        StateCodec.Flat flat = StateCodec.flatten(half);
        Map<String, Tensor> tensors = new HashMap<>();
        flat.tensors().forEach((k, v) -> tensors.put(k, v.copy()));
        Map<String, Object> scalars = Json.parseObject(Json.write(flat.scalars()));
        GradientTransformation again = OptimizerRegistry.create(name, "");
        OptState restored = StateCodec.restore(again.init(resumed), tensors, scalars);
        for (int s = 3; s < 6; s++) {
            restored = step(again, resumed, restored);
        }
        assertArrayEquals(straight.get(0).toDoubleArray(), resumed.get(0).toDoubleArray(), 0, name);
        assertFalse(java.util.Arrays.equals(new double[] {-1, 10, 1}, resumed.get(0).toDoubleArray()), name);
    }

    private static OptState step(GradientTransformation tx, Params params, OptState state) {
        double[] x = params.get(0).toDoubleArray();
        Params g = Problem.vector(2 * (x[0] - 1), 2 * (x[1] + 1), 2 * (x[2] - 1) + 0.5);
        GradientTransformation.Update r = tx.update(g, state, params, UpdateContext.none());
        params.get(0).addInPlace(r.updates().get(0));
        return r.state();
    }
}
