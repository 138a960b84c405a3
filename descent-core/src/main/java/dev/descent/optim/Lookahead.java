package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Lookahead (Zhang et al. 2019; optax {@code lookahead}). optax's parameters are a pair
 * (fast, slow); here the parameters the caller holds and differentiates are the fast weights and
 * the slow weights live in the state ({@link #slow}, initialised to the parameters). Each call, with
 * {@code u_f} the fast optimizer's update:
 * <pre>
 * not a sync step:  u = u_f
 * sync step (every syncPeriod-th call):  D = fast + u_f − slow ;  slow ← slow + α·D ;
 *                   u = u_f − (1 − α)·D      (so fast lands on the new slow weights)
 * </pre>
 * With {@code resetState} the fast optimizer's state is re-initialised at every sync. Evaluate
 * or serve with {@link #slow}. Made by {@link Transforms#lookahead}.
 */
public final class Lookahead implements GradientTransformation {
    private final GradientTransformation fast;
    private final long syncPeriod;
    private final double alpha;
    private final boolean resetState;

    /** The fast optimizer's state, the calls since the last sync and the slow weights. */
    public record LookaheadState(OptState fast, long stepsSinceSync, Params slow) implements OptState {
    }

    Lookahead(GradientTransformation fast, long syncPeriod, double alpha, boolean resetState) {
        if (syncPeriod < 1) {
            throw new IllegalArgumentException("lookahead needs a sync period ≥ 1, got " + syncPeriod);
        }
        this.fast = fast;
        this.syncPeriod = syncPeriod;
        this.alpha = alpha;
        this.resetState = resetState;
    }

    /** The slow weights in a lookahead state. */
    public static Params slow(OptState state) {
        return ((LookaheadState) state).slow();
    }

    @Override
    public OptState init(Params params) {
        return new LookaheadState(fast.init(params), 0, params.copy());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        LookaheadState s = (LookaheadState) state;
        Update r = fast.update(updates, s.fast(), params, context);
        boolean sync = s.stepsSinceSync() == syncPeriod - 1;
        long next = (s.stepsSinceSync() + 1) % syncPeriod;
        if (!sync) {
            return new Update(r.updates(), new LookaheadState(r.state(), next, s.slow()));
        }
        for (int k = 0; k < params.size(); k++) {
            Storage u = r.updates().get(k).storage(), p = params.get(k).storage(), w = s.slow().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double d = p.get(i) + u.get(i) - w.get(i);
                w.set(i, w.get(i) + alpha * d);
                u.set(i, u.get(i) - (1 - alpha) * d);
            }
        }
        return new Update(r.updates(), new LookaheadState(resetState ? fast.init(params) : r.state(), next, s.slow()));
    }
}
