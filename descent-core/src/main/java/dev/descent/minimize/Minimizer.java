package dev.descent.minimize;

import dev.descent.optim.GradientTransformation;
import dev.descent.optim.OptState;
import dev.descent.optim.Params;
import dev.descent.optim.ObjectiveFunction;
import dev.descent.optim.UpdateContext;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimizes an {@link Objective} with any optimizer, recording the path it takes.
 *
 * <p>{@link #run} applies a {@link GradientTransformation} for a fixed number of steps to one
 * parameter tensor {@code "x"} (FLOAT64, shape {@code [n]}), passing each update an
 * {@link UpdateContext} with the step, the value at the current point and the objective as a
 * function of the parameters, so that transformations needing them (Polyak step sizes, line
 * searches) work. {@link #gradientDescent} is the lecture's naive gradient descent:
 * <pre>
 * repeat  g = ∇f(θ);  θ = θ − α·g  until ‖g‖ &lt; ε
 * </pre>
 */
public final class Minimizer {
    private Minimizer() {
    }

    /** One row of a trajectory: the point after {@code step} updates and its value. */
    public record Point(int step, double value, double[] x) {
    }

    /** Why a run ended. */
    public enum Stop {
        /** All the steps asked for were taken. */
        STEPS,
        /** The gradient norm fell below the tolerance. */
        CONVERGED,
        /** The value or the point stopped being finite (the step size is too large). */
        DIVERGED
    }

    /** The points visited, the first being the start, and why the run ended. */
    public record Trajectory(List<Point> points, Stop stop) {
        public Trajectory {
            points = List.copyOf(points);
        }

        /** The last point. */
        public Point last() {
            return points.get(points.size() - 1);
        }

        /** The number of updates made. */
        public int steps() {
            return last().step();
        }
    }

    /**
     * Runs {@code tx} from {@code x0} for {@code steps} updates; the trajectory has
     * {@code steps + 1} points unless the run diverges, when it ends at the first point whose
     * value or coordinates are not finite.
     */
    public static Trajectory run(Objective f, GradientTransformation tx, double[] x0, int steps) {
        f.checkArity(x0);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + steps);
        }
        int n = x0.length;
        Tensor x = Tensor.of(x0, n);
        Params params = new Params(List.of("x"), List.of(x));
        OptState state = tx.init(params);
        ObjectiveFunction valueFunction = new ObjectiveFunction() {
            @Override
            public double applyAsDouble(Params at) {
                return f.value(at.get(0).toDoubleArray());
            }

            @Override
            public Params gradient(Params at) {
                return new Params(List.of("x"), List.of(Tensor.of(f.evaluate(at.get(0).toDoubleArray()).gradient(), n)));
            }
        };
        List<Point> points = new ArrayList<>();
        for (int step = 0; ; step++) {
            double[] at = x.toDoubleArray();
            Objective.Evaluation e = f.evaluate(at);
            points.add(new Point(step, e.value(), at));
            if (!finite(e.value(), at)) {
                return new Trajectory(points, Stop.DIVERGED);
            }
            if (step == steps) {
                return new Trajectory(points, Stop.STEPS);
            }
            Params grads = new Params(List.of("x"), List.of(Tensor.of(e.gradient(), n)));
            GradientTransformation.Update u = tx.update(grads, state, params, new UpdateContext(step, e.value(), valueFunction));
            Tensor delta = u.updates().get(0);
            for (int i = 0; i < n; i++) {
                x.storage().set(i, x.storage().get(i) + delta.storage().get(i));
            }
            state = u.state();
        }
    }

    /**
     * The lecture's naive gradient descent {@code θ = θ − α·∇f(θ)} from {@code x0}, stopping
     * when {@code ‖∇f(θ)‖ < tolerance} at the current point (so the last point itself meets
     * the tolerance) or after {@code maxSteps} updates, whichever comes first.
     */
    public static Trajectory gradientDescent(Objective f, double[] x0, double lr, double tolerance, int maxSteps) {
        f.checkArity(x0);
        double[] theta = x0.clone();
        List<Point> points = new ArrayList<>();
        for (int step = 0; ; step++) {
            Objective.Evaluation e = f.evaluate(theta);
            points.add(new Point(step, e.value(), theta.clone()));
            if (!finite(e.value(), theta)) {
                return new Trajectory(points, Stop.DIVERGED);
            }
            if (e.gradientNorm() < tolerance) {
                return new Trajectory(points, Stop.CONVERGED);
            }
            if (step == maxSteps) {
                return new Trajectory(points, Stop.STEPS);
            }
            double[] g = e.gradient();
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= lr * g[i];
            }
        }
    }

    private static boolean finite(double value, double[] x) {
        if (!Double.isFinite(value)) {
            return false;
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
