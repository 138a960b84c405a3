package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Adamax's direction (optax {@code scale_by_adamax}), Adam with the infinity norm:
 * <pre>
 * m ← b1·m + (1 − b1)·g          v ← max(|g| + eps, b2·v)          m₀ = v₀ = 0
 * u = (m / (1 − b1^t)) / v        (no bias correction on v; eps inside the max)   t = c + 1
 * </pre>
 * Made by {@link Transforms#scaleByAdamax}.
 */
public final class ScaleByAdamax implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;

    /** The update count, the first moment m and the infinity-norm accumulator v. */
    public record AdamaxState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByAdamax(double b1, double b2, double eps) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
    }

    @Override
    public OptState init(Params params) {
        return new AdamaxState(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        AdamaxState s = (AdamaxState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByAdamax");
        Elementwise.requireMatching(updates, s.nu(), "scaleByAdamax");
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mHat = Elementwise.ema(m, i, b1, g) / c1;
                v.set(i, Math.max(Math.abs(g) + eps, b2 * v.get(i)));
                u.set(i, mHat / v.get(i));
            }
        }
        return new Update(updates, new AdamaxState(t, s.mu(), s.nu()));
    }
}
