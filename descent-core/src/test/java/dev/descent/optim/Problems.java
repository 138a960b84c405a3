package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/** Test objectives on one float64 vector {@code x}: optax's parabola and Rosenbrock (§8.1). */
final class Problems {
    private Problems() {
    }

    /** A differentiable function of one vector, its start and minimiser. */
    record Problem(String name, double[] x0, double[] minimum, Function<double[], Double> value,
                   Function<double[], double[]> gradient) {

        ObjectiveFunction objective() {
            return new ObjectiveFunction() {
                @Override
                public double applyAsDouble(Params at) {
                    return value.apply(at.get(0).toDoubleArray());
                }

                @Override
                public Params gradient(Params at) {
                    return vector(gradient.apply(at.get(0).toDoubleArray()));
                }
            };
        }

        /** {@code steps} updates of {@code tx} from x0; the context carries the value and objective. */
        double[] run(GradientTransformation tx, int steps) {
            Params params = vector(x0);
            OptState state = tx.init(params);
            ObjectiveFunction f = objective();
            for (int s = 0; s < steps; s++) {
                double[] x = params.get(0).toDoubleArray();
                GradientTransformation.Update r = tx.update(vector(gradient.apply(x)), state, params,
                        new UpdateContext(s, value.apply(x), f));
                params.get(0).addInPlace(r.updates().get(0));
                state = r.state();
            }
            return params.get(0).toDoubleArray();
        }
    }

    static Params vector(double... values) {
        return new Params(List.of("x"), List.of(Tensor.of(values, values.length)));
    }

    static final Problem PARABOLA = new Problem("parabola", new double[] {-1, 10, 1}, new double[] {1, -1, 1},
            x -> {
                double v = 0;
                double[] m = {1, -1, 1};
                for (int i = 0; i < x.length; i++) {
                    v += (x[i] - m[i]) * (x[i] - m[i]);
                }
                return v;
            },
            x -> new double[] {2 * (x[0] - 1), 2 * (x[1] + 1), 2 * (x[2] - 1)});

    static final Problem ROSENBROCK = new Problem("rosenbrock", new double[] {0, 0}, new double[] {1, 1},
            x -> (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]),
            x -> new double[] {-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])});
}
