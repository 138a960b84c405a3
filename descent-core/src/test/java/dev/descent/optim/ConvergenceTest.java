package dev.descent.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * optax's {@code alias_test.py} convergence check (optimizers.md §8.1), in float64: each
 * optimizer with its §8.1 configuration runs 10 000 updates on the parabola and on Rosenbrock
 * and must end within {@code 3e-2 + 3e-2·|x*|} of the minimum, element-wise. One row per
 * configuration; {@code parabolaOnly} rows (sign_sgd, which needs a schedule there) skip
 * Rosenbrock, as optax does.
 */
class ConvergenceTest {
    private static final int STEPS = 10_000;

    private record Config(String name, Supplier<GradientTransformation> optimizer, boolean parabolaOnly) {
    }

    private static Config row(String name, Supplier<GradientTransformation> optimizer) {
        return new Config(name, optimizer, false);
    }

    private static final List<Config> CONFIGS = List.of(
            row("adabelief(lr=1e-2)", () -> Optimizers.adabelief(1e-2)),
            row("adabelief(lr=1e-2, wd=1e-4)",
                    () -> Optimizers.adabelief(Schedule.constant(1e-2), 0.9, 0.999, 1e-16, 1e-16, 1e-4, false)),
            row("adadelta(lr=0.1)", () -> Optimizers.adadelta(0.1)),
            row("adagrad(lr=1)", () -> Optimizers.adagrad(1.0)),
            row("adam(lr=0.1)", () -> Optimizers.adam(0.1)),
            row("adamax(lr=0.1)", () -> Optimizers.adamax(0.1)),
            row("adamaxw(lr=0.1)", () -> Optimizers.adamaxw(0.1)),
            row("adamw(lr=0.1)", () -> Optimizers.adamw(0.1)),
            row("amsgrad(lr=0.1)", () -> Optimizers.amsgrad(0.1)),
            row("lion(lr=1e-2, wd=1e-4)", () -> Optimizers.lion(Schedule.constant(1e-2), 0.9, 0.99, 1e-4)),
            row("nadam(lr=1e-2)", () -> Optimizers.nadam(1e-2)),
            row("nadamw(lr=1e-2)", () -> Optimizers.nadamw(1e-2)),
            row("noisy_sgd(lr=1e-3, eta=1e-4, seed=0)", () -> Optimizers.noisySgd(Schedule.constant(1e-3), 1e-4, 0.55, 0)),
            row("radam(lr=5e-3)", () -> Optimizers.radam(5e-3)),
            row("rmsprop(lr=5e-3)", () -> Optimizers.rmsprop(5e-3)),
            row("rmsprop(lr=5e-3, momentum=0.9)", () -> Optimizers.rmsprop(5e-3, 0.9, 1e-8, true, 0.9, false)),
            row("rmsprop(lr=5e-3, centered)",
                    () -> Optimizers.rmsprop(Schedule.constant(5e-3), 0.9, 1e-8, true, true, 0, false)),
            row("rmsprop(lr=5e-3, centered, momentum=0.9)",
                    () -> Optimizers.rmsprop(Schedule.constant(5e-3), 0.9, 1e-8, true, true, 0.9, false)),
            row("sgd(lr=1e-3, momentum=0.9)", () -> Optimizers.sgd(1e-3, 0.9, false)),
            new Config("sign_sgd(lr=0.1)", () -> Optimizers.signSgd(0.1), true),
            row("yogi(lr=0.1)", () -> Optimizers.yogi(0.1)));

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (Config c : CONFIGS) {
            out.add(Arguments.of(c.name(), c.optimizer(), Problem.PARABOLA));
            if (!c.parabolaOnly()) {
                out.add(Arguments.of(c.name(), c.optimizer(), Problem.ROSENBROCK));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("runs")
    void reachesTheMinimum(String name, Supplier<GradientTransformation> optimizer, Problem problem) {
        double[] x = problem.run(optimizer.get(), STEPS)[0];
        for (int i = 0; i < x.length; i++) {
            double target = problem.target[i];
            assertEquals(target, x[i], 3e-2 + 3e-2 * Math.abs(target), name + " on " + problem + ", x[" + i + "]");
        }
    }
}
