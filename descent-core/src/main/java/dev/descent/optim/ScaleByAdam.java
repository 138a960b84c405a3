package dev.descent.optim;

import dev.descent.tensor.Kernels;
import dev.descent.tensor.Storage;

/**
 * Adam's direction (optax {@code scale_by_adam}), bias-corrected:
 * <pre>
 * m ← b1·m + (1 − b1)·g        v ← b2·v + (1 − b2)·g²        m₀ = v₀ = 0
 * m̂ = m / (1 − b1^t)          v̂ = v / (1 − b2^t)           t = c + 1
 * u = m̂ / (√(v̂ + epsRoot) + eps)
 * </pre>
 * With {@code nesterov} (NAdam, optax {@code scale_by_adam(nesterov=True)}) the first moment is
 * the look-ahead estimate {@code m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t)}.
 * This loop is the one place Adam's rule is written (AdamW, NAdam, LAMB and optimistic Adam chain
 * it); float32 storage takes {@link Kernels#fusedAdam}, the same rule vectorised, tested against it.
 * Made by {@link Transforms#scaleByAdam}.
 */
public final class ScaleByAdam implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final boolean nesterov;

    /** The update count and the first (m) and second (v) moment estimates. */
    public record AdamState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByAdam(double b1, double b2, double eps, double epsRoot) {
        this(b1, b2, eps, epsRoot, false);
    }

    ScaleByAdam(double b1, double b2, double eps, double epsRoot, boolean nesterov) {
        this.nesterov = nesterov;
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
    }

    @Override
    public OptState init(Params params) {
        return new AdamState(0, params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        AdamState s = (AdamState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByAdam");
        Elementwise.requireMatching(updates, s.nu(), "scaleByAdam");
        long t = s.count() + 1;
        double c1 = Elementwise.debias(b1, t), c1Next = Elementwise.debias(b1, t + 1);
        double c2 = Elementwise.debias(b2, t);
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), m = s.mu().get(k).storage(), v = s.nu().get(k).storage();
            if (!nesterov && Kernels.of(u.dtype()).fusedAdam(u, m, v, b1, b2, c1, c2, eps, epsRoot)) {
                continue; // the float32 fast form of the loop below, tested against it
            }
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double mHat = firstMoment(b1, Elementwise.ema(m, i, b1, g), g, c1, c1Next, nesterov);
                double vHat = Elementwise.ema(v, i, b2, g * g) / c2;
                u.set(i, mHat / (Math.sqrt(vHat + epsRoot) + eps));
            }
        }
        return new Update(updates, new AdamState(t, s.mu(), s.nu()));
    }

    /**
     * The bias-corrected first moment {@code m/c1} of the new {@code m}, or with {@code nesterov}
     * {@code b1·m/c1Next + (1 − b1)·g/c1} (optax's order of operations), where
     * {@code c1 = 1 − b1^t} and {@code c1Next = 1 − b1^(t+1)}.
     */
    static double firstMoment(double b1, double m, double g, double c1, double c1Next, boolean nesterov) {
        return nesterov ? b1 * (m / c1Next) + (1 - b1) * (g / c1) : m / c1;
    }
}
