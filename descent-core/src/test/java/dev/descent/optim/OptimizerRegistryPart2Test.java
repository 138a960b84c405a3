package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry rows of the second batch of optimizers: present, runnable, with optax's defaults. */
class OptimizerRegistryPart2Test {
    private static final List<String> NAMES = List.of("lamb", "lars", "fromage", "adan", "novograd",
            "optimistic_gradient_descent", "optimistic_adam", "polyak_sgd", "sm3", "adafactor", "lbfgs");

    /** No objective is passed here, so lbfgs runs with a fixed step (its line search is tested on the §8 problems). */
    private static Map<String, Double> withoutLineSearch(String name) {
        return name.equals("lbfgs") ? Map.of("linesearch", 0.0) : Map.of();
    }

    @Test
    void everyRowMakesAWorkingOptimizer() {
        Params p = new Params(List.of("w", "b"), List.of(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new double[] {0.5}, 1)));
        for (String name : NAMES) {
            assertTrue(OptimizerRegistry.names().contains(name), name);
            GradientTransformation tx = OptimizerRegistry.create(name, withoutLineSearch(name));
            Params g = p.map(t -> Tensor.full(t.dtype(), t.shape(), 0.25));
            Params u = tx.update(g, tx.init(p), p, UpdateContext.of(0, 1.5)).updates();
            for (Tensor t : u.tensors()) {
                for (double v : t.toDoubleArray()) {
                    assertTrue(Double.isFinite(v) && v <= 0, name + " gave " + v);
                }
            }
        }
        assertEquals(0.25, OptimizerRegistry.defaults("novograd").get("b2"));
        assertEquals(0.98, OptimizerRegistry.defaults("adan").get("b1"));
        assertEquals(0.001, OptimizerRegistry.defaults("lars").get("trust_coefficient"));
        assertEquals(0.8, OptimizerRegistry.defaults("adafactor").get("decay_rate"));
    }

    @Test
    void statesSurviveACheckpointRoundTrip() {
        Params p = new Params(List.of("w", "b"), List.of(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new double[] {0.5}, 1)));
        List<GradientTransformation> all = new java.util.ArrayList<>();
        for (String name : NAMES) {
            all.add(OptimizerRegistry.create(name, withoutLineSearch(name)));
        }
        all.add(Optimizers.lbfgs(Schedule.constant(0.1), 3, true, null));
        all.add(Transforms.lookahead(Transforms.multiSteps(Transforms.applyIfFinite(Optimizers.sm3(0.1), 3), 2), 2, 0.5));
        all.add(Transforms.applyEvery(3));
        for (GradientTransformation tx : all) {
            Params g = p.map(t -> Tensor.full(t.dtype(), t.shape(), 0.25));
            OptState state = tx.update(g, tx.init(p), p, UpdateContext.of(0, 1.5)).state();
            dev.descent.io.StateCodec.Flat flat = dev.descent.io.StateCodec.flatten(state);
            OptState restored = dev.descent.io.StateCodec.restore(tx.init(p), flat.tensors(), flat.scalars());
            dev.descent.io.StateCodec.Flat again = dev.descent.io.StateCodec.flatten(restored);
            assertEquals(flat.scalars(), again.scalars());
            assertEquals(flat.tensors().keySet(), again.tensors().keySet());
            flat.tensors().forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), again.tensors().get(k).toDoubleArray(), 0, k));
        }
    }

    @Test
    void rowsMatchTheAliases() {
        Params p = new Params(List.of("x"), List.of(Tensor.of(new double[] {-1, 10, 1}, 3)));
        GradientTransformation row = OptimizerRegistry.create("lamb", "lr=0.01,wd=0.1");
        GradientTransformation alias = Optimizers.lamb(Schedule.constant(0.01), 0.9, 0.999, 1e-6, 0, 0.1, null);
        Params g = new Params(List.of("x"), List.of(Tensor.of(new double[] {0.3, -2, 0}, 3)));
        assertArrayEquals(alias.update(g.copy(), alias.init(p), p, UpdateContext.none()).updates().get(0).toDoubleArray(),
                row.update(g.copy(), row.init(p), p, UpdateContext.none()).updates().get(0).toDoubleArray(), 0);
    }
}
