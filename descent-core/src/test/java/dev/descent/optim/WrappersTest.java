package dev.descent.optim;

import dev.descent.io.StateCodec;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.descent.optim.Problem.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrappers (optimizers.md §7) and the §8.3 optax unit-test facts. */
class WrappersTest {

    private static double[] step(GradientTransformation tx, OptState[] state, Params params, double... g) {
        GradientTransformation.Update r = tx.update(vector(g), state[0], params, UpdateContext.none());
        state[0] = r.state();
        return r.updates().get(0).toDoubleArray();
    }

    @Test
    void optimisticGradientOutputs2Then4Then5() {
        GradientTransformation tx = Transforms.scaleByOptimisticGradient(1, 1);
        Params p = vector(0);
        OptState[] s = {tx.init(p)};
        assertEquals(2, step(tx, s, p, 2)[0]);
        assertEquals(4, step(tx, s, p, 3)[0]);
        assertEquals(5, step(tx, s, p, 4)[0]);
    }

    @Test
    void polyakSolvesL1NormInOneStep() {
        // optax: scale_by_polyak() on f = |x|₁ from [1, −1]; params − updates reaches f < 1e-10
        GradientTransformation tx = Transforms.scaleByPolyak(0, 1, 0, false);
        Params p = vector(1, -1);
        GradientTransformation.Update r = tx.update(vector(1, -1), tx.init(p), p, UpdateContext.of(0, 2));
        double[] u = r.updates().get(0).toDoubleArray();
        assertTrue(Math.abs(1 - u[0]) + Math.abs(-1 - u[1]) < 1e-10);
    }

    @Test
    void multiStepsReturnsZerosOnTheFirstCallForEveryOptimizer() {
        for (String name : OptimizerRegistry.names()) {
            GradientTransformation tx = Transforms.multiSteps(OptimizerRegistry.create(name, Map.of()), 4);
            Params p = vector(1, 2);
            GradientTransformation.Update r = tx.update(vector(0.5, -0.5), tx.init(p), p, UpdateContext.of(0, 1));
            assertArrayEquals(new double[] {0, 0}, r.updates().get(0).toDoubleArray(), 0, name);
            assertFalse(MultiSteps.hasUpdated(r.state()), name);
        }
    }

    @Test
    void wrapperStatesSurviveACheckpointRoundTrip() {
        Params p = new Params(List.of("w", "b"), List.of(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new double[] {0.5}, 1)));
        for (GradientTransformation tx : List.of(Optimizers.lbfgs(Schedule.constant(0.1), 3, true, null),
                Transforms.lookahead(Transforms.multiSteps(Transforms.applyIfFinite(Optimizers.sm3(0.1), 3), 2), 2, 0.5),
                Transforms.applyEvery(3))) {
            Params g = p.map(t -> Tensor.full(t.dtype(), t.shape(), 0.25));
            OptState state = tx.update(g, tx.init(p), p, UpdateContext.of(0, 1.5)).state();
            StateCodec.Flat flat = StateCodec.flatten(state);
            StateCodec.Flat again = StateCodec.flatten(StateCodec.restore(tx.init(p), flat.tensors(), flat.scalars()));
            assertEquals(flat.scalars(), again.scalars());
            assertEquals(flat.tensors().keySet(), again.tensors().keySet());
            flat.tensors().forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), again.tensors().get(k).toDoubleArray(), 0, k));
        }
    }

    @Test
    void multiStepsRunsTheInnerOptimizerOnTheMean() {
        GradientTransformation tx = Transforms.multiSteps(Optimizers.sgd(0.1), 2);
        Params p = vector(0);
        OptState[] s = {tx.init(p)};
        assertEquals(0, step(tx, s, p, 1)[0]);
        assertEquals(-0.2, step(tx, s, p, 3)[0], 1e-15); // −0.1·mean(1, 3)
        assertTrue(MultiSteps.hasUpdated(s[0]));
        assertEquals(0, step(tx, s, p, 5)[0]);
        assertEquals(-0.6, step(tx, s, p, 7)[0], 1e-15);
        // skipping: a NaN gradient leaves everything unchanged
        GradientTransformation skipping = Transforms.multiSteps(Optimizers.sgd(0.1), c -> 2, false, Transforms.skipNotFinite());
        OptState[] t = {skipping.init(p)};
        assertEquals(0, step(skipping, t, p, 1)[0]);
        assertEquals(0, step(skipping, t, p, Double.NaN)[0]);
        assertEquals(-0.4, step(skipping, t, p, 3)[0], 1e-15); // −0.1·(1 + 3)
        assertTrue(Transforms.skipLargeUpdates(1).test(vector(1)));
        assertFalse(Transforms.skipLargeUpdates(1).test(vector(0.5)));
    }

    @Test
    void applyEveryEqualsSgdEveryKSteps() {
        // chain(apply_every(4), trace(0), scale(−lr)) equals sgd(lr) every 4 steps for a constant gradient
        GradientTransformation every = Transforms.chain(Transforms.applyEvery(4), Transforms.trace(0, false),
                Transforms.scale(-0.1));
        GradientTransformation sgd = Optimizers.sgd(0.1);
        Params a = vector(1, 2), b = vector(1, 2);
        OptState[] sa = {every.init(a)}, sb = {sgd.init(b)};
        for (int i = 1; i <= 12; i++) {
            double[] ua = step(every, sa, a, 0.5, -1), ub = step(sgd, sb, b, 0.5, -1);
            a.get(0).addInPlace(vector(ua).get(0));
            b.get(0).addInPlace(vector(ub).get(0));
            if (i % 4 == 0) {
                assertArrayEquals(b.get(0).toDoubleArray(), a.get(0).toDoubleArray(), 1e-12);
            } else {
                assertArrayEquals(new double[] {0, 0}, ua, 0);
            }
        }
    }

    @Test
    void applyIfFiniteSkipsNonFiniteUpdatesUntilTheLimit() {
        GradientTransformation tx = Transforms.applyIfFinite(Optimizers.sgd(1, 0.5, false), 2);
        Params p = vector(0);
        OptState[] s = {tx.init(p)};
        assertEquals(-1, step(tx, s, p, 1)[0]);
        assertEquals(0, step(tx, s, p, Double.NaN)[0]);
        assertEquals(0, step(tx, s, p, Double.POSITIVE_INFINITY)[0]);
        ApplyIfFinite.ApplyIfFiniteState st = (ApplyIfFinite.ApplyIfFiniteState) s[0];
        assertEquals(2, st.notFiniteCount());
        assertEquals(2, st.totalNotFinite());
        assertFalse(st.lastFinite());
        assertEquals(-1.5, step(tx, s, p, 1)[0]); // momentum state kept: τ = 1 + 0.5·1
        assertEquals(0, ((ApplyIfFinite.ApplyIfFiniteState) s[0]).notFiniteCount());
        step(tx, s, p, Double.NaN);
        step(tx, s, p, Double.NaN);
        assertTrue(Double.isNaN(step(tx, s, p, Double.NaN)[0])); // third in a row > 2: applied anyway
    }

    @Test
    void lookaheadSyncsFastAndSlowWeights() {
        GradientTransformation tx = Transforms.lookahead(Optimizers.sgd(0.1), 2, 0.5);
        Params p = vector(1);
        OptState[] s = {tx.init(p)};
        double[] u = step(tx, s, p, 1); // fast: 1 → 0.9
        assertEquals(-0.1, u[0], 1e-15);
        p.get(0).addInPlace(vector(u).get(0));
        u = step(tx, s, p, 1); // fast would be 0.8; D = 0.8 − 1 = −0.2; slow = 0.9; fast lands on 0.9
        p.get(0).addInPlace(vector(u).get(0));
        assertEquals(0.9, p.get(0).toDoubleArray()[0], 1e-15);
        assertEquals(0.9, Lookahead.slow(s[0]).get(0).toDoubleArray()[0], 1e-15);
        assertEquals(0, ((Lookahead.LookaheadState) s[0]).stepsSinceSync());
    }

    @Test
    void lookaheadConvergesOnTheParabola() {
        double[] x = Problem.PARABOLA.run(Transforms.lookahead(Optimizers.adam(0.1), 5, 0.5), 5000)[0];
        assertArrayEquals(Problem.PARABOLA.minimum, x, 3e-2);
    }
}
