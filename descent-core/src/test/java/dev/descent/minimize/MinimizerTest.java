package dev.descent.minimize;

import dev.descent.optim.OptimizerRegistry;
import dev.descent.optim.Optimizers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinimizerTest {

    @Test
    void naiveGradientDescentStopsWhenTheGradientIsSmall() {
        Objective canyon = Objective.builtin("canyon");
        Minimizer.Trajectory t = Minimizer.gradientDescent(canyon, canyon.start(), 0.05, 1e-6, 10_000);
        assertEquals(Minimizer.Stop.CONVERGED, t.stop());
        double[] last = t.last().x();
        assertTrue(canyon.evaluate(last).gradientNorm() < 1e-6);
        // the point before the last did not meet the tolerance, so it stopped at the first chance
        double[] before = t.points().get(t.points().size() - 2).x();
        assertTrue(canyon.evaluate(before).gradientNorm() >= 1e-6);
        // along the valley x shrinks by 1 − 0.05 per step: about ln(8e6)/0.0513 ≈ 310 steps
        assertTrue(t.steps() > 250 && t.steps() < 350, "steps " + t.steps());
        assertArrayEquals(new double[] {0, 0}, last, 1e-6);
    }

    @Test
    void naiveGradientDescentRespectsMaxStepsAndReportsDivergence() {
        Objective canyon = Objective.builtin("canyon");
        Minimizer.Trajectory capped = Minimizer.gradientDescent(canyon, canyon.start(), 0.05, 1e-12, 20);
        assertEquals(Minimizer.Stop.STEPS, capped.stop());
        assertEquals(21, capped.points().size());
        // lr above 2/25 is unstable across the canyon
        Minimizer.Trajectory diverged = Minimizer.gradientDescent(canyon, canyon.start(), 0.1, 1e-6, 100_000);
        assertEquals(Minimizer.Stop.DIVERGED, diverged.stop());
    }

    @Test
    void adamReachesRosenbrocksMinimum() {
        Objective r = Objective.builtin("rosenbrock");
        Minimizer.Trajectory t = Minimizer.run(r, Optimizers.adam(0.02), r.start(), 3000);
        assertEquals(3001, t.points().size());
        assertEquals(0, t.points().get(0).step());
        assertArrayEquals(new double[] {-1.2, 1}, t.points().get(0).x());
        assertEquals(24.2, t.points().get(0).value(), 1e-12);
        assertArrayEquals(new double[] {1, 1}, t.last().x(), 0.05);
        assertTrue(t.last().value() < 1e-3, "f " + t.last().value());
    }

    @Test
    void sgdThroughTheRegistryEqualsNaiveGradientDescent() {
        Objective b = Objective.builtin("booth");
        Minimizer.Trajectory sgd = Minimizer.run(b, OptimizerRegistry.create("sgd", Map.of("lr", 0.05)), b.start(), 100);
        Minimizer.Trajectory gd = Minimizer.gradientDescent(b, b.start(), 0.05, 0, 100);
        for (int k = 0; k <= 100; k++) {
            assertArrayEquals(gd.points().get(k).x(), sgd.points().get(k).x(), 1e-12);
        }
        assertTrue(sgd.last().value() < 1e-3);
    }

    @Test
    void theContextCarriesTheValueAndTheValueFunction() {
        Objective canyon = Objective.builtin("canyon");
        double[] seen = new double[2];
        dev.descent.optim.GradientTransformation probe = new dev.descent.optim.GradientTransformation() {
            public dev.descent.optim.OptState init(dev.descent.optim.Params params) {
                return Optimizers.sgd(0.01).init(params);
            }

            public Update update(dev.descent.optim.Params updates, dev.descent.optim.OptState state,
                                 dev.descent.optim.Params params, dev.descent.optim.UpdateContext context) {
                seen[0] = context.value();
                seen[1] = context.valueFunction().applyAsDouble(params);
                return Optimizers.sgd(0.01).update(updates, state, params, context);
            }
        };
        Minimizer.run(canyon, probe, new double[] {2, 1}, 1);
        assertEquals(14.5, seen[0]);
        assertEquals(14.5, seen[1]);
    }
}
