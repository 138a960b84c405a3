package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Optimistic gradient (optax {@code scale_by_optimistic_gradient}):
 * <pre>
 * g_prev' = g on the first update, else g_prev
 * u = (alpha + beta)·g − beta·g_prev' ;  g_prev ← g
 * </pre>
 * so the first update is {@code alpha·g}. Made by {@link Transforms#scaleByOptimisticGradient}.
 */
public final class ScaleByOptimisticGradient implements GradientTransformation {
    private final double alpha;
    private final double beta;

    /** The update count and the previous incoming update. */
    public record OptimisticState(long count, Params previous) implements OptState {
    }

    ScaleByOptimisticGradient(double alpha, double beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    public OptState init(Params params) {
        return new OptimisticState(0, params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        OptimisticState s = (OptimisticState) state;
        Elementwise.requireMatching(updates, s.previous(), "scaleByOptimisticGradient");
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), prev = s.previous().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double before = s.count() == 0 ? g : prev.get(i);
                prev.set(i, g);
                u.set(i, (alpha + beta) * g - beta * before);
            }
        }
        return new Update(updates, new OptimisticState(s.count() + 1, s.previous()));
    }
}
