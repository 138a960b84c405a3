package dev.descent.optim;

import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/**
 * RMS scaling (optax {@code scale_by_rms}, the core of RMSProp):
 * <pre>
 * ν ← decay·ν + (1 − decay)·g²                 ν₀ = initialScale (optax's initial_scale, usually 0)
 * ν̂ = ν / (1 − decay^t)  if biasCorrection,  else ν        t = c + 1
 * u = g / √(ν̂ + eps)     if epsInSqrt,       else g / (√ν̂ + eps)
 * </pre>
 * Made by {@link Transforms#scaleByRms}.
 */
public final class ScaleByRms implements GradientTransformation {
    private final double decay;
    private final double eps;
    private final boolean epsInSqrt;
    private final boolean biasCorrection;
    private final double initialScale;

    /** The update count and the running mean of squared gradients ν. */
    public record RmsState(long count, Params nu) implements OptState {
    }

    ScaleByRms(double decay, double eps, boolean epsInSqrt, boolean biasCorrection, double initialScale) {
        this.decay = decay;
        this.initialScale = initialScale;
        this.eps = eps;
        this.epsInSqrt = epsInSqrt;
        this.biasCorrection = biasCorrection;
    }

    @Override
    public OptState init(Params params) {
        return new RmsState(0, params.map(t -> Tensor.full(t.dtype(), t.shape(), initialScale)));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        RmsState s = (RmsState) state;
        Elementwise.requireMatching(updates, s.nu(), "scaleByRms");
        long t = s.count() + 1;
        double correction = biasCorrection ? Elementwise.debias(decay, t) : 1;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), nu = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double nuHat = Elementwise.ema(nu, i, decay, g * g) / correction;
                u.set(i, epsInSqrt ? g / Math.sqrt(nuHat + eps) : g / (Math.sqrt(nuHat) + eps));
            }
        }
        return new Update(updates, new RmsState(t, s.nu()));
    }
}
