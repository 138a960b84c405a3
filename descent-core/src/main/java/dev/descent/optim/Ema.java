package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Exponential moving average (optax {@code ema}, building block B5):
 * {@code m ← (1 − β)·g + β·m}, {@code m₀ = 0}; {@code u = m/(1 − β^t)} with {@code debias},
 * else {@code u = m}. Made by {@link Transforms#ema}.
 */
public final class Ema implements GradientTransformation {
    private final double decay;
    private final boolean debias;

    /** The update count and the average m. */
    public record EmaState(long count, Params ema) implements OptState {
    }

    Ema(double decay, boolean debias) {
        this.decay = decay;
        this.debias = debias;
    }

    @Override
    public OptState init(Params params) {
        return new EmaState(0, params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        EmaState s = (EmaState) state;
        Elementwise.requireMatching(updates, s.ema(), "ema");
        long t = s.count() + 1;
        double divisor = debias ? Elementwise.debias(decay, t) : 1;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.ema().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                u.set(i, Elementwise.ema(m, i, decay, u.get(i)) / divisor);
            }
        }
        return new Update(updates, new EmaState(t, s.ema()));
    }
}
