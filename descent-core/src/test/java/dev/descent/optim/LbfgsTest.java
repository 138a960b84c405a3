package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * L-BFGS with its zoom line search ({@link Optimizers#lbfgs()}) solves the problems of optax's
 * {@code lbfgs_test.py} (optimizers.md §8.2): at most 500 iterations, stop at ‖∇f‖ &lt; 1e-5,
 * tolerance 1e-5.
 */
class LbfgsTest {

    /** Runs {@code lbfgs()} from {@code x0} until ‖∇f‖ &lt; 1e-5 or 500 iterations. */
    private static double[] lbfgs(Function<double[], Double> f, Function<double[], double[]> grad, double... x0) {
        ObjectiveFunction objective = new ObjectiveFunction() {
            @Override
            public double applyAsDouble(Params at) {
                return f.apply(at.get(0).toDoubleArray());
            }

            @Override
            public Params gradient(Params at) {
                return Problem.vector(grad.apply(at.get(0).toDoubleArray()));
            }
        };
        GradientTransformation tx = Optimizers.lbfgs();
        Params params = Problem.vector(x0);
        OptState state = tx.init(params);
        for (int it = 0; it < 500; it++) {
            double[] x = params.get(0).toDoubleArray(), g = grad.apply(x);
            double n2 = 0;
            for (double v : g) {
                n2 += v * v;
            }
            if (Math.sqrt(n2) < 1e-5) {
                break;
            }
            GradientTransformation.Update r = tx.update(Problem.vector(g), state, params,
                    new UpdateContext(it, f.apply(x), objective));
            params.get(0).addInPlace(r.updates().get(0));
            state = r.state();
        }
        return params.get(0).toDoubleArray();
    }

    private static void assertNear(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "x[" + i + "]");
        }
    }

    @Test
    void lbfgsSolvesTheOptaxTestProblems() {
        assertNear(new double[] {1, 1}, lbfgs(x -> Problem.ROSENBROCK.objective().applyAsDouble(Problem.vector(x)),
                x -> Problem.ROSENBROCK.objective().gradient(Problem.vector(x)).get(0).toDoubleArray(), 0, 0), 1e-5);
        Function<double[], Double> himmelblau = x -> Math.pow(x[0] * x[0] + x[1] - 11, 2) + Math.pow(x[0] + x[1] * x[1] - 7, 2);
        Function<double[], double[]> himmelblauGrad = x -> {
            double a = x[0] * x[0] + x[1] - 11, b = x[0] + x[1] * x[1] - 7;
            return new double[] {4 * x[0] * a + 2 * b, 2 * a + 4 * x[1] * b};
        };
        assertNear(new double[] {3, 2}, lbfgs(himmelblau, himmelblauGrad, 1, 1), 1e-5);
        double[] bad = lbfgs(himmelblau, himmelblauGrad, 92, 0.001);
        assertTrue(himmelblau.apply(bad) < 1e-8, "Himmelblau from [92, 0.001]: " + himmelblau.apply(bad));
        Function<double[], Double> matyas = x -> 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
        assertNear(new double[] {0, 0},
                lbfgs(matyas, x -> new double[] {0.52 * x[0] - 0.48 * x[1], 0.52 * x[1] - 0.48 * x[0]}, 6, 6), 1e-5);
        Function<double[], Double> zakharov = x -> {
            double sq = 0, s = 0;
            for (int i = 0; i < x.length; i++) {
                sq += x[i] * x[i];
                s += 0.5 * (i + 1) * x[i];
            }
            return sq + s * s + s * s * s * s;
        };
        Function<double[], double[]> zakharovGrad = x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += 0.5 * (i + 1) * x[i];
            }
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = 2 * x[i] + (2 * s + 4 * s * s * s) * 0.5 * (i + 1);
            }
            return g;
        };
        assertNear(new double[6], lbfgs(zakharov, zakharovGrad, 600, 700, 200, 100, 90, 1000), 1e-5);
        // steep: mean((1e4·x)²) from [1, 1]
        assertNear(new double[2], lbfgs(x -> (1e8 * x[0] * x[0] + 1e8 * x[1] * x[1]) / 2,
                x -> new double[] {1e8 * x[0], 1e8 * x[1]}, 1, 1), 1e-5);
    }
}
