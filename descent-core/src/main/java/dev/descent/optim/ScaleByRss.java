package dev.descent.optim;

import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/**
 * Adagrad's scaling by the root of the sum of squared gradients (optax {@code scale_by_rss}):
 * <pre>
 * S ← S + g²                              S₀ = initialAccumulator (every element; optax: 0.1)
 * u = g / √(S + eps)   where S &gt; 0,   u = 0 where S = 0         (eps inside the root)
 * </pre>
 * Made by {@link Transforms#scaleByRss}.
 */
public final class ScaleByRss implements GradientTransformation {
    private final double initialAccumulator;
    private final double eps;

    /** The running sum of squared gradients S. */
    public record RssState(Params sumOfSquares) implements OptState {
    }

    ScaleByRss(double initialAccumulator, double eps) {
        this.initialAccumulator = initialAccumulator;
        this.eps = eps;
    }

    @Override
    public OptState init(Params params) {
        return new RssState(params.map(t -> Tensor.full(t.dtype(), t.shape(), initialAccumulator)));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        Params sums = ((RssState) state).sumOfSquares();
        Elementwise.requireMatching(updates, sums, "scaleByRss");
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), sum = sums.get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                sum.set(i, g * g + sum.get(i));
                double s = sum.get(i);
                u.set(i, s > 0 ? 1 / Math.sqrt(s + eps) * g : 0);
            }
        }
        return new Update(updates, state);
    }
}
