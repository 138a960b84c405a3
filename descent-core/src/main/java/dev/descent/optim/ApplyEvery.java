package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * optax {@code apply_every(k)}: accumulates the sum of the incoming updates and emits it on calls
 * k, 2k, … (then starts a new sum), zeros on the other calls. Made by {@link Transforms#applyEvery}.
 */
public final class ApplyEvery implements GradientTransformation {
    private final long k;

    /** The calls since the last emission and the running sum. */
    public record ApplyEveryState(long count, Params sum) implements OptState {
    }

    ApplyEvery(long k) {
        if (k < 1) {
            throw new IllegalArgumentException("applyEvery needs k ≥ 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public OptState init(Params params) {
        return new ApplyEveryState(0, params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        ApplyEveryState s = (ApplyEveryState) state;
        Elementwise.requireMatching(updates, s.sum(), "applyEvery");
        boolean emit = s.count() == k - 1;
        for (int t = 0; t < updates.size(); t++) {
            Storage u = updates.get(t).storage(), sum = s.sum().get(t).storage();
            for (int i = 0; i < u.size(); i++) {
                double total = sum.get(i) + u.get(i);
                sum.set(i, emit ? 0 : total);
                u.set(i, emit ? total : 0);
            }
        }
        return new Update(updates, new ApplyEveryState(emit ? 0 : s.count() + 1, s.sum()));
    }
}
