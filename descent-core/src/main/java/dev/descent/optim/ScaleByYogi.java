package dev.descent.optim;

import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/**
 * Yogi's direction (optax {@code scale_by_yogi}): Adam whose second moment moves additively
 * towards {@code g²}:
 * <pre>
 * m ← b1·m + (1 − b1)·g                                 m₀ = v₀ = initialAccumulator (every element)
 * v ← v − (1 − b2)·sign(v − g²)·g²
 * m̂ = m/(1 − b1^t);  v̂ = v/(1 − b2^t)                  (corrected despite the non-zero start)   t = c + 1
 * u = m̂ / (√(v̂ + epsRoot) + eps)
 * </pre>
 * Made by {@link Transforms#scaleByYogi}.
 */
public final class ScaleByYogi implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final double initialAccumulator;

    /** The update count and the first (m) and second (v) moment estimates. */
    public record YogiState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByYogi(double b1, double b2, double eps, double epsRoot, double initialAccumulator) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.initialAccumulator = initialAccumulator;
    }

    @Override
    public OptState init(Params params) {
        return new YogiState(0, params.map(t -> Tensor.full(t.dtype(), t.shape(), initialAccumulator)),
                params.map(t -> Tensor.full(t.dtype(), t.shape(), initialAccumulator)));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        YogiState s = (YogiState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByYogi");
        Elementwise.requireMatching(updates, s.nu(), "scaleByYogi");
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t), c2 = Elementwise.debias(b2, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double g2 = g * g;
                double mHat = Elementwise.ema(m, i, b1, g) / c1;
                v.set(i, v.get(i) - (1 - b2) * Math.signum(v.get(i) - g2) * g2);
                u.set(i, mHat / (Math.sqrt(v.get(i) / c2 + epsRoot) + eps));
            }
        }
        return new Update(updates, new YogiState(t, s.mu(), s.nu()));
    }
}
