package dev.descent.optim;

import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/**
 * Centered RMS scaling (optax {@code scale_by_stddev}, the core of centered RMSProp): divides
 * by an estimate of the gradient's standard deviation instead of its RMS:
 * <pre>
 * μ ← decay·μ + (1 − decay)·g        ν ← decay·ν + (1 − decay)·g²        μ₀ = 0, ν₀ = initialScale
 * μ̂, ν̂ = μ/(1 − decay^t), ν/(1 − decay^t)  if biasCorrection,  else μ, ν        t = c + 1
 * u = g / √(ν̂ − μ̂² + eps)    if epsInSqrt,   else g / (√(ν̂ − μ̂²) + eps)
 * </pre>
 * No clamping of {@code ν̂ − μ̂²}, as in optax (with eps outside the root rounding can make it
 * slightly negative → NaN). Made by {@link Transforms#scaleByStddev}.
 */
public final class ScaleByStddev implements GradientTransformation {
    private final double decay;
    private final double eps;
    private final boolean epsInSqrt;
    private final boolean biasCorrection;
    private final double initialScale;

    /** The update count and the running means of the gradients (μ) and squared gradients (ν). */
    public record StddevState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByStddev(double decay, double eps, boolean epsInSqrt, boolean biasCorrection, double initialScale) {
        this.decay = decay;
        this.initialScale = initialScale;
        this.eps = eps;
        this.epsInSqrt = epsInSqrt;
        this.biasCorrection = biasCorrection;
    }

    @Override
    public OptState init(Params params) {
        return new StddevState(0, params.zerosLike(), params.map(t -> Tensor.full(t.dtype(), t.shape(), initialScale)));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        StddevState s = (StddevState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByStddev");
        Elementwise.requireMatching(updates, s.nu(), "scaleByStddev");
        long t = s.count() + 1;
        double correction = biasCorrection ? Elementwise.debias(decay, t) : 1;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), mu = s.mu().get(k).storage(), nu = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double muHat = Elementwise.ema(mu, i, decay, g) / correction;
                double nuHat = Elementwise.ema(nu, i, decay, g * g) / correction;
                double variance = nuHat - muHat * muHat;
                u.set(i, epsInSqrt ? g / Math.sqrt(variance + eps) : g / (Math.sqrt(variance) + eps));
            }
        }
        return new Update(updates, new StddevState(t, s.mu(), s.nu()));
    }
}
