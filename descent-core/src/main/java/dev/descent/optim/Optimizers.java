package dev.descent.optim;

import static dev.descent.optim.Transforms.chain;
import static dev.descent.optim.Transforms.identity;
import static dev.descent.optim.Transforms.scaleByAdam;
import static dev.descent.optim.Transforms.scaleByLearningRate;
import static dev.descent.optim.Transforms.scaleByRms;
import static dev.descent.optim.Transforms.trace;

/**
 * The named optimizers (optax's aliases), each a {@link Transforms#chain chain} of building
 * blocks, with optax's defaults. {@code g} is the gradient of the (batch-mean) loss, so it
 * already equals the lecture's {@code d/batch_size}; the caller applies {@code w ← w + u}.
 *
 * <p>The lecture's four optimizers are reached as follows (see each method):
 * <ul>
 * <li>SGD {@code w := w − η/batch_size·d}: {@link #sgd(double) sgd(η)};</li>
 * <li>momentum {@code v := α·v − η·g; w := w + v}: {@link #momentum(double, double) momentum(η, α)};</li>
 * <li>RMS-Prop {@code r := ρ·r + (1−ρ)·g²; w := w − η·g/√(r + ε)}:
 *     {@link #rmsprop(double, double, double) rmsprop(η, ρ, 1e-7)} (optax's default ε is 1e-8);</li>
 * <li>Adam with bias correction: {@link #adam(double, double, double, double) adam(η, β1, β2, ε)}.</li>
 * </ul>
 * Every method with a constant rate has a {@link Schedule} form; a schedule is evaluated at
 * the learning-rate element's own counter, so the first update uses {@code lr(0)}.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /**
     * Plain SGD: {@code u = −lr·g}, i.e. the lecture's {@code w := w − η/batch_size·d}.
     * Chain: {@code identity → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation sgd(double lr) {
        return sgd(lr, 0, false);
    }

    /**
     * SGD with heavy-ball or Nesterov momentum, as optax and PyTorch ({@code dampening=0}):
     * <pre>
     * τ ← g + μ·τ ;  u = −lr·τ          (Nesterov: u = −lr·(g + μ·τ))
     * </pre>
     * Chain: {@code trace(μ, nesterov) → scaleByLearningRate(lr)}; with {@code μ = 0} the
     * trace is replaced by {@code identity} (plain SGD). For a constant rate this equals the
     * lecture's velocity form ({@code v = −lr·τ}); for the form itself, also under a
     * schedule, use {@link #momentum}.
     */
    public static GradientTransformation sgd(double lr, double momentum, boolean nesterov) {
        return sgd(scaleByLearningRate(lr), momentum, nesterov);
    }

    /** {@link #sgd(double, double, boolean)} with a learning-rate schedule. */
    public static GradientTransformation sgd(Schedule lr, double momentum, boolean nesterov) {
        return sgd(scaleByLearningRate(lr), momentum, nesterov);
    }

    private static GradientTransformation sgd(GradientTransformation lrStep, double momentum, boolean nesterov) {
        return chain(momentum == 0 ? identity() : trace(momentum, nesterov), lrStep);
    }

    /**
     * The lecture's momentum, velocity form: {@code v := α·v − lr·g; w := w + v} ({@code v₀ = 0},
     * so {@code u = v}). Chain: {@code scaleByLearningRate(lr) → trace(α, false)} (the buffer
     * holds rate-scaled steps). Equal to {@link #sgd(double, double, boolean) sgd(lr, α, false)}
     * for a constant rate; under a schedule old steps keep their old rate.
     */
    public static GradientTransformation momentum(double lr, double alpha) {
        return chain(scaleByLearningRate(lr), trace(alpha, false));
    }

    /** {@link #momentum(double, double)} with a learning-rate schedule. */
    public static GradientTransformation momentum(Schedule lr, double alpha) {
        return chain(scaleByLearningRate(lr), trace(alpha, false));
    }

    /** {@link #rmsprop(double, double, double) rmsprop(lr, 0.9, 1e-8)}: optax's defaults. */
    public static GradientTransformation rmsprop(double lr) {
        return rmsprop(lr, 0.9, 1e-8);
    }

    /**
     * RMSProp (Hinton), optax's form with ε inside the root:
     * <pre>
     * ν ← decay·ν + (1 − decay)·g² ;  u = −lr·g/√(ν + eps)
     * </pre>
     * Chain: {@code scaleByRms(decay, eps, epsInSqrt=true, biasCorrection=false) →
     * scaleByLearningRate(lr)}. The lecture's RMS-Prop is {@code rmsprop(η, ρ, 1e-7)} (its
     * ε ≈ 1e-7; optax's default is 1e-8). PyTorch puts ε outside the root: use the long form
     * with {@code epsInSqrt = false}.
     */
    public static GradientTransformation rmsprop(double lr, double decay, double eps) {
        return rmsprop(lr, decay, eps, true, 0, false);
    }

    /**
     * RMSProp with all of optax's non-centered options:
     * <pre>
     * ν ← decay·ν + (1 − decay)·g²
     * a = −lr·g/√(ν + eps)  (epsInSqrt)   or   −lr·g/(√ν + eps)
     * τ ← a + μ·τ ;  u = τ  (Nesterov: u = a + μ·τ)          (only when μ ≠ 0)
     * </pre>
     * Chain: {@code scaleByRms(decay, eps, epsInSqrt, false) → scaleByLearningRate(lr) →
     * trace(μ, nesterov)}; momentum acts after the learning rate, as in optax.
     */
    public static GradientTransformation rmsprop(double lr, double decay, double eps, boolean epsInSqrt,
                                                 double momentum, boolean nesterov) {
        return rmsprop(scaleByLearningRate(lr), decay, eps, epsInSqrt, momentum, nesterov);
    }

    /** {@link #rmsprop(double, double, double, boolean, double, boolean)} with a learning-rate schedule. */
    public static GradientTransformation rmsprop(Schedule lr, double decay, double eps, boolean epsInSqrt,
                                                 double momentum, boolean nesterov) {
        return rmsprop(scaleByLearningRate(lr), decay, eps, epsInSqrt, momentum, nesterov);
    }

    private static GradientTransformation rmsprop(GradientTransformation lrStep, double decay, double eps,
                                                  boolean epsInSqrt, double momentum, boolean nesterov) {
        GradientTransformation rms = scaleByRms(decay, eps, epsInSqrt, false);
        return momentum == 0 ? chain(rms, lrStep) : chain(rms, lrStep, trace(momentum, nesterov));
    }

    /** {@link #adam(double, double, double, double) adam(lr, 0.9, 0.999, 1e-8)}: optax's and PyTorch's defaults. */
    public static GradientTransformation adam(double lr) {
        return adam(lr, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with bias correction (Kingma &amp; Ba, Alg. 1; the lecture's Adam; PyTorch's Adam):
     * <pre>
     * m ← b1·m + (1 − b1)·g ;  v ← b2·v + (1 − b2)·g²
     * u = −lr·(m/(1 − b1^t)) / (√(v/(1 − b2^t)) + eps)          t = 1, 2, …
     * </pre>
     * Chain: {@code scaleByAdam(b1, b2, eps, epsRoot=0) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation adam(double lr, double b1, double b2, double eps) {
        return chain(scaleByAdam(b1, b2, eps, 0), scaleByLearningRate(lr));
    }

    /** {@link #adam(double, double, double, double)} with a learning-rate schedule and optax's {@code eps_root}. */
    public static GradientTransformation adam(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return chain(scaleByAdam(b1, b2, eps, epsRoot), scaleByLearningRate(lr));
    }
}
