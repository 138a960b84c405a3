package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * AdaBelief's direction (optax {@code scale_by_belief}): Adam with the EMA of the squared
 * prediction error {@code g − m} in place of {@code g²}:
 * <pre>
 * m ← b1·m + (1 − b1)·g                                   m₀ = s₀ = 0
 * s ← b2·s + (1 − b2)·(g − m)² + epsRoot                  (the new m; epsRoot is stored)
 * m̂ = m / (1 − b1^t)   (Nesterov: b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t))     t = c + 1
 * ŝ = s / (1 − b2^t)
 * u = m̂ / (√ŝ + eps)
 * </pre>
 * Made by {@link Transforms#scaleByBelief}.
 */
public final class ScaleByBelief implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final boolean nesterov;

    /** The update count, the first moment m and the belief (prediction-error variance) s. */
    public record BeliefState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByBelief(double b1, double b2, double eps, double epsRoot, boolean nesterov) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.nesterov = nesterov;
    }

    @Override
    public OptState init(Params params) {
        return new BeliefState(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        BeliefState st = (BeliefState) state;
        Elementwise.requireMatching(updates, st.mu(), "scaleByBelief");
        Elementwise.requireMatching(updates, st.nu(), "scaleByBelief");
        long t = st.count() + 1;
        double c1 = Elementwise.debias(b1, t), c1Next = Elementwise.debias(b1, t + 1);
        double c2 = Elementwise.debias(b2, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = st.mu().get(k).storage(), s = st.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mNew = Elementwise.ema(m, i, b1, g);
                double e = g - mNew;
                s.set(i, (1 - b2) * (e * e) + b2 * s.get(i) + epsRoot);
                double mHat = ScaleByAdam.firstMoment(b1, mNew, g, c1, c1Next, nesterov);
                u.set(i, mHat / (Math.sqrt(s.get(i) / c2) + eps));
            }
        }
        return new Update(updates, new BeliefState(t, st.mu(), st.nu()));
    }
}
