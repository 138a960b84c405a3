package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The test problems of optax's {@code alias_test.py} (optimizers.md §8.1), in float64: one
 * parameter vector {@code x}, the gradient computed in closed form.
 */
enum Problem {
    /** {@code f(x) = Σ (x − x*)²} from {@code [−1, 10, 1]}, {@code x* = [1, −1, 1]}. */
    PARABOLA(new double[] {-1, 10, 1}, new double[] {1, -1, 1}, x -> {
        double[] g = new double[x.length];
        double[] target = {1, -1, 1};
        for (int i = 0; i < x.length; i++) {
            g[i] = 2 * (x[i] - target[i]);
        }
        return g;
    }),
    /** {@code f(x, y) = (1 − x)² + 100·(y − x²)²} from {@code [0, 0]}, {@code x* = [1, 1]}. */
    ROSENBROCK(new double[] {0, 0}, new double[] {1, 1}, p -> {
        double x = p[0], y = p[1];
        return new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
    });

    final double[] x0;
    final double[] target;
    private final UnaryOperator<double[]> gradient;

    Problem(double[] x0, double[] target, UnaryOperator<double[]> gradient) {
        this.x0 = x0;
        this.target = target;
        this.gradient = gradient;
    }

    /**
     * Runs {@code tx} from {@code x0} and returns the parameters after each of the updates
     * numbered in {@code checkpoints} (ascending, 1-based).
     */
    double[][] run(GradientTransformation tx, int... checkpoints) {
        Params params = vector(x0);
        OptState state = tx.init(params);
        double[][] out = new double[checkpoints.length][];
        int next = 0;
        for (int step = 1; next < checkpoints.length; step++) {
            Params grad = vector(gradient.apply(params.get(0).toDoubleArray()));
            GradientTransformation.Update r = tx.update(grad, state, params, UpdateContext.none());
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
