package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Rectified Adam's direction (optax {@code scale_by_radam}):
 * <pre>
 * m, v as Adam;  t = c + 1;  ρ∞ = 2/(1 − b2) − 1;  ρ_t = ρ∞ − 2·t·b2^t/(1 − b2^t)
 * m̂ = m/(1 − b1^t) (or the Nesterov form of {@link ScaleByAdam});  v̂ = v/(1 − b2^t)
 * ρ_t ≥ threshold:  r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t));  u = r·m̂/(√(v̂ + epsRoot) + eps)
 * otherwise:        u = m̂      (un-adapted momentum; with b2 = 0.999 until t = 5)
 * </pre>
 * Made by {@link Transforms#scaleByRadam}.
 */
public final class ScaleByRadam implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final double threshold;
    private final boolean nesterov;

    /** The update count and the first (m) and second (v) moment estimates. */
    public record RadamState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByRadam(double b1, double b2, double eps, double epsRoot, double threshold, boolean nesterov) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.threshold = threshold;
        this.nesterov = nesterov;
    }

    @Override
    public OptState init(Params params) {
        return new RadamState(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        RadamState s = (RadamState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByRadam");
        Elementwise.requireMatching(updates, s.nu(), "scaleByRadam");
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t), c1Next = Elementwise.debias(b1, t + 1);
        double c2 = Elementwise.debias(b2, t);
        double roInf = 2 / (1 - b2) - 1;
        double b2t = Math.pow(b2, t);
        double ro = roInf - 2 * t * b2t / (1 - b2t);
        boolean rectified = ro >= threshold;
        double r = rectified ? Math.sqrt((ro - 4) * (ro - 2) * roInf / ((roInf - 4) * (roInf - 2) * ro)) : 0;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mHat = ScaleByAdam.firstMoment(b1, Elementwise.ema(m, i, b1, g), g, c1, c1Next, nesterov);
                double vHat = Elementwise.ema(v, i, b2, g * g) / c2;
                u.set(i, rectified ? r * mHat / (Math.sqrt(vHat + epsRoot) + eps) : mHat);
            }
        }
        return new Update(updates, new RadamState(t, s.mu(), s.nu()));
    }
}
