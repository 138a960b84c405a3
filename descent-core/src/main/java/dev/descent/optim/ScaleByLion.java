package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Lion's direction (optax {@code scale_by_lion}, mode {@code 'hard'}; Chen et al. 2023):
 * <pre>
 * u = sign((1 − b1)·g + b1·m)          (the old m; 0 where the interpolation is 0)   m₀ = 0
 * m ← (1 − b2)·g + b2·m
 * </pre>
 * Made by {@link Transforms#scaleByLion}.
 */
public final class ScaleByLion implements GradientTransformation {
    private final double b1;
    private final double b2;

    /** The update count and the momentum m. */
    public record LionState(long count, Params mu) implements OptState {
    }

    ScaleByLion(double b1, double b2) {
        this.b1 = b1;
        this.b2 = b2;
    }

    @Override
    public OptState init(Params params) {
        return new LionState(0, params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        LionState s = (LionState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByLion");
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                u.set(i, Math.signum((1 - b1) * g + b1 * m.get(i)));
                Elementwise.ema(m, i, b2, g);
            }
        }
        return new Update(updates, new LionState(s.count() + 1, s.mu()));
    }
}
