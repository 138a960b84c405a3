package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Momentum (optax {@code trace}, building block B4): {@code τ ← g + μ·τ}, {@code τ₀ = 0};
 * {@code u = τ}, or {@code u = g + μ·τ} (the new τ) with Nesterov. No dampening. Made by
 * {@link Transforms#trace}.
 */
public final class Trace implements GradientTransformation {
    private final double decay;
    private final boolean nesterov;

    /** The momentum buffer τ. */
    public record TraceState(Params trace) implements OptState {
    }

    Trace(double decay, boolean nesterov) {
        this.decay = decay;
        this.nesterov = nesterov;
    }

    @Override
    public OptState init(Params params) {
        return new TraceState(params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        Params trace = ((TraceState) state).trace();
        Elementwise.requireMatching(updates, trace, "trace");
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), tau = trace.get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                tau.set(i, g + decay * tau.get(i));
                u.set(i, nesterov ? g + decay * tau.get(i) : tau.get(i));
            }
        }
        return new Update(updates, state);
    }
}
