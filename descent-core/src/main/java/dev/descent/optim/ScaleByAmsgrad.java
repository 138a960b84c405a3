package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * AMSGrad's direction (optax {@code scale_by_amsgrad}): Adam with the running maximum of the
 * (by default bias-corrected) second moment in the denominator:
 * <pre>
 * m ← b1·m + (1 − b1)·g        v ← b2·v + (1 − b2)·g²        m₀ = v₀ = vmax₀ = 0
 * m̂ = m / (1 − b1^t)  (m if !biasCorrectionMu)              t = c + 1
 * ν  = v / (1 − b2^t)  (v if !biasCorrectionNu)
 * vmax ← max(vmax, ν)
 * u = m̂ / (√(vmax + epsRoot) + eps)
 * </pre>
 * Both corrections off is the original paper; PyTorch's {@code amsgrad=True} (max of the
 * uncorrected v, corrected afterwards) is no setting of this. Made by {@link Transforms#scaleByAmsgrad}.
 */
public final class ScaleByAmsgrad implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final boolean biasCorrectionMu;
    private final boolean biasCorrectionNu;

    /** The update count, the moments m and v, and the running maximum vmax. */
    public record AmsgradState(long count, Params mu, Params nu, Params nuMax) implements OptState {
    }

    ScaleByAmsgrad(double b1, double b2, double eps, double epsRoot, boolean biasCorrectionMu,
                   boolean biasCorrectionNu) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.biasCorrectionMu = biasCorrectionMu;
        this.biasCorrectionNu = biasCorrectionNu;
    }

    @Override
    public OptState init(Params params) {
        return new AmsgradState(0, params.zerosLike(), params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        AmsgradState s = (AmsgradState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByAmsgrad");
        Elementwise.requireMatching(updates, s.nu(), "scaleByAmsgrad");
        Elementwise.requireMatching(updates, s.nuMax(), "scaleByAmsgrad");
        long t = s.count() + 1;
        double c1 = biasCorrectionMu ? Elementwise.debias(b1, t) : 1;
        double c2 = biasCorrectionNu ? Elementwise.debias(b2, t) : 1;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            Storage vMax = s.nuMax().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mHat = Elementwise.ema(m, i, b1, g) / c1;
                double nuHat = Elementwise.ema(v, i, b2, g * g) / c2;
                vMax.set(i, Math.max(vMax.get(i), nuHat));
                u.set(i, mHat / (Math.sqrt(vMax.get(i) + epsRoot) + eps));
            }
        }
        return new Update(updates, new AmsgradState(t, s.mu(), s.nu(), s.nuMax()));
    }
}
