package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Adan's direction (optax {@code scale_by_adan}); the b's are decays (the paper's β = 1 − b):
 * <pre>
 * Δ = 0 on the first update, else g − g_prev
 * m ← b1·m + (1−b1)·g ;  v ← b2·v + (1−b2)·Δ ;  n ← b3·n + (1−b3)·(g + (1−b2)·Δ)²
 * m̂, v̂, n̂ = m/(1−b1^t), v/(1−b2^t), n/(1−b3^t)                t = c + 1
 * u = (m̂ + (1−b2)·v̂) / (√(n̂ + epsRoot) + eps) ;  g_prev ← g
 * </pre>
 * Made by {@link Transforms#scaleByAdan}.
 */
public final class ScaleByAdan implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double b3;
    private final double eps;
    private final double epsRoot;

    /** The update count, the three moments and the previous gradient. */
    public record AdanState(long count, Params m, Params v, Params n, Params previous) implements OptState {
    }

    ScaleByAdan(double b1, double b2, double b3, double eps, double epsRoot) {
        this.b1 = b1;
        this.b2 = b2;
        this.b3 = b3;
        this.eps = eps;
        this.epsRoot = epsRoot;
    }

    @Override
    public OptState init(Params params) {
        return new AdanState(0, params.zerosLike(), params.zerosLike(), params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        AdanState s = (AdanState) state;
        for (Params p : new Params[] {s.m(), s.v(), s.n(), s.previous()}) {
            Elementwise.requireMatching(updates, p, "scaleByAdan");
        }
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t), c2 = Elementwise.debias(b2, t), c3 = Elementwise.debias(b3, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.m().get(k).storage(), v = s.v().get(k).storage(),
                    n = s.n().get(k).storage(), prev = s.previous().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double delta = s.count() == 0 ? 0 : g - prev.get(i);
                double q = g + (1 - b2) * delta;
                double mHat = Elementwise.ema(m, i, b1, g) / c1;
                double vHat = Elementwise.ema(v, i, b2, delta) / c2;
                double nHat = Elementwise.ema(n, i, b3, q * q) / c3;
                prev.set(i, g);
                u.set(i, (mHat + (1 - b2) * vHat) / (Math.sqrt(nHat + epsRoot) + eps));
            }
        }
        return new Update(updates, new AdanState(t, s.m(), s.v(), s.n(), s.previous()));
    }
}
