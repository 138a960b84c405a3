package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Adam's direction with Nesterov momentum (optax {@code scale_by_adam(nesterov=True)}), used by
 * optimistic Adam:
 * <pre>
 * m ← b1·m + (1 − b1)·g ;  v ← b2·v + (1 − b2)·g²                 t = c + 1
 * m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t) ;  v̂ = v/(1 − b2^t)
 * u = m̂ / (√(v̂ + epsRoot) + eps)
 * </pre>
 * Made by {@link Transforms#scaleByAdamNesterov}.
 */
public final class ScaleByAdamNesterov implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;

    ScaleByAdamNesterov(double b1, double b2, double eps, double epsRoot) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
    }

    @Override
    public OptState init(Params params) {
        return new ScaleByAdam.AdamState(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        ScaleByAdam.AdamState s = (ScaleByAdam.AdamState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByAdamNesterov");
        Elementwise.requireMatching(updates, s.nu(), "scaleByAdamNesterov");
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t), c1next = Elementwise.debias(b1, t + 1), c2 = Elementwise.debias(b2, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mHat = b1 * Elementwise.ema(m, i, b1, g) / c1next + (1 - b1) * g / c1;
                double vHat = Elementwise.ema(v, i, b2, g * g) / c2;
                u.set(i, mHat / (Math.sqrt(vHat + epsRoot) + eps));
            }
        }
        return new Update(updates, new ScaleByAdam.AdamState(t, s.mu(), s.nu()));
    }
}
