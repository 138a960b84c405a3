package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The test problems of optax's {@code alias_test.py} (optimizers.md §8.1), in float64: one
 * parameter vector {@code x}, the value and gradient in closed form. Each update's context carries
 * the value at the current parameters and the objective, as Polyak steps and line searches need.
 */
enum Problem {
    /** {@code f(x) = Σ (x − x*)²} from {@code [−1, 10, 1]}, {@code x* = [1, −1, 1]}. */
    PARABOLA(new double[] {-1, 10, 1}, new double[] {1, -1, 1},
            x -> (x[0] - 1) * (x[0] - 1) + (x[1] + 1) * (x[1] + 1) + (x[2] - 1) * (x[2] - 1),
            x -> new double[] {2 * (x[0] - 1), 2 * (x[1] + 1), 2 * (x[2] - 1)}),
    /** {@code f(x, y) = (1 − x)² + 100·(y − x²)²} from {@code [0, 0]}, {@code x* = [1, 1]}. */
    ROSENBROCK(new double[] {0, 0}, new double[] {1, 1},
            p -> (1 - p[0]) * (1 - p[0]) + 100 * (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]),
            p -> new double[] {-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]), 200 * (p[1] - p[0] * p[0])});

    final double[] x0;
    final double[] minimum;
    private final ToDoubleFunction<double[]> value;
    private final UnaryOperator<double[]> gradient;

    Problem(double[] x0, double[] minimum, ToDoubleFunction<double[]> value, UnaryOperator<double[]> gradient) {
        this.x0 = x0;
        this.minimum = minimum;
        this.value = value;
        this.gradient = gradient;
    }

    /** The problem as an objective over one-vector parameter sets. */
    ObjectiveFunction objective() {
        return new ObjectiveFunction() {
            @Override
            public double applyAsDouble(Params at) {
                return value.applyAsDouble(at.get(0).toDoubleArray());
            }

            @Override
            public Params gradient(Params at) {
                return vector(gradient.apply(at.get(0).toDoubleArray()));
            }
        };
    }

    /**
     * Runs {@code tx} from {@code x0} and returns the parameters after each of the updates
     * numbered in {@code checkpoints} (ascending, 1-based).
     */
    double[][] run(GradientTransformation tx, int... checkpoints) {
        Params params = vector(x0);
        OptState state = tx.init(params);
        ObjectiveFunction f = objective();
        double[][] out = new double[checkpoints.length][];
        int next = 0;
        for (int step = 1; next < checkpoints.length; step++) {
            double[] x = params.get(0).toDoubleArray();
            GradientTransformation.Update r = tx.update(vector(gradient.apply(x)), state, params,
                    new UpdateContext(step - 1, value.applyAsDouble(x), f));
            params.get(0).addInPlace(r.updates().get(0));
            state = r.state();
            if (step == checkpoints[next]) {
                out[next++] = params.get(0).toDoubleArray();
            }
        }
        return out;
    }

    static Params vector(double... values) {
        return new Params(List.of("x"), List.of(Tensor.of(values.clone(), values.length)));
    }
}
