package dev.descent.optim;

import static dev.descent.optim.Transforms.addDecayedWeights;
import static dev.descent.optim.Transforms.addNoise;
import static dev.descent.optim.Transforms.chain;
import static dev.descent.optim.Transforms.identity;
import static dev.descent.optim.Transforms.scaleByAdam;
import static dev.descent.optim.Transforms.scaleByLearningRate;
import static dev.descent.optim.Transforms.scaleByRms;
import static dev.descent.optim.Transforms.scaleByAdadelta;
import static dev.descent.optim.Transforms.scaleByAdamax;
import static dev.descent.optim.Transforms.scaleByAmsgrad;
import static dev.descent.optim.Transforms.scaleByBelief;
import static dev.descent.optim.Transforms.scaleByLion;
import static dev.descent.optim.Transforms.scaleByRadam;
import static dev.descent.optim.Transforms.scaleByRss;
import static dev.descent.optim.Transforms.scaleBySign;
import static dev.descent.optim.Transforms.scaleByStddev;
import static dev.descent.optim.Transforms.scaleByYogi;
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

    /** {@link #adamw(Schedule, double, double, double, double, double) adamw(lr, 0.9, 0.999, 1e-8, 0, 1e-4)}: optax's defaults. */
    public static GradientTransformation adamw(double lr) {
        return adamw(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, 1e-4);
    }

    /**
     * AdamW, Adam with decoupled weight decay (Loshchilov &amp; Hutter), optax's form (the decay
     * is multiplied by the learning rate, as in PyTorch's {@code AdamW}):
     * <pre>
     * u = −lr·( m̂/(√(v̂ + epsRoot) + eps) + λ·p )
     * </pre>
     * Chain: {@code scaleByAdam(b1, b2, eps, epsRoot) → addDecayedWeights(λ) → scaleByLearningRate(lr)}.
     * To decay only some parameters, chain {@link Transforms#masked masked(addDecayedWeights(λ), …)} yourself.
     */
    public static GradientTransformation adamw(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                               double weightDecay) {
        return chain(scaleByAdam(b1, b2, eps, epsRoot, false), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** {@link #nadam(Schedule, double, double, double, double) nadam(lr, 0.9, 0.999, 1e-8, 0)}: optax's defaults. */
    public static GradientTransformation nadam(double lr) {
        return nadam(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0);
    }

    /**
     * NAdam, optax's form (Adam with {@code nesterov=True}; not PyTorch's {@code NAdam}, which
     * uses a momentum schedule):
     * <pre>
     * m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t) ;  u = −lr·m̂/(√(v̂ + epsRoot) + eps)
     * </pre>
     * Chain: {@code scaleByAdam(b1, b2, eps, epsRoot, nesterov=true) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation nadam(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return chain(scaleByAdam(b1, b2, eps, epsRoot, true), scaleByLearningRate(lr));
    }

    /** {@link #nadamw(Schedule, double, double, double, double, double) nadamw(lr, 0.9, 0.999, 1e-8, 0, 1e-4)}: optax's defaults. */
    public static GradientTransformation nadamw(double lr) {
        return nadamw(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, 1e-4);
    }

    /**
     * NAdamW: {@link #nadam NAdam} with AdamW's decoupled weight decay,
     * {@code u = −lr·(m̂_nesterov/(√(v̂ + epsRoot) + eps) + λ·p)}. Chain:
     * {@code scaleByAdam(b1, b2, eps, epsRoot, nesterov=true) → addDecayedWeights(λ) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation nadamw(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                double weightDecay) {
        return chain(scaleByAdam(b1, b2, eps, epsRoot, true), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** {@link #amsgrad(Schedule, double, double, double, double) amsgrad(lr, 0.9, 0.999, 1e-8, 0)}: optax's defaults. */
    public static GradientTransformation amsgrad(double lr) {
        return amsgrad(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0);
    }

    /**
     * AMSGrad, optax's form: {@code vmax ← max(vmax, v̂)}; {@code u = −lr·m̂/(√(vmax + epsRoot) + eps)}
     * with both moments bias-corrected (not PyTorch's {@code amsgrad=True}). Chain:
     * {@code scaleByAmsgrad(b1, b2, eps, epsRoot, true, true) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation amsgrad(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return chain(scaleByAmsgrad(b1, b2, eps, epsRoot, true, true), scaleByLearningRate(lr));
    }

    /**
     * {@link #adabelief(Schedule, double, double, double, double, double, boolean)
     * adabelief(lr, 0.9, 0.999, 1e-16, 1e-16, 0, false)}: optax's defaults (the paper uses eps = 1e-8, epsRoot = 0).
     */
    public static GradientTransformation adabelief(double lr) {
        return adabelief(Schedule.constant(lr), 0.9, 0.999, 1e-16, 1e-16, 0, false);
    }

    /**
     * AdaBelief (Zhuang et al. 2020):
     * <pre>
     * m ← b1·m + (1 − b1)·g ;  s ← b2·s + (1 − b2)·(g − m)² + epsRoot
     * u = −lr·( m̂/(√ŝ + eps) + λ·p )          (m̂ Nesterov's when {@code nesterov})
     * </pre>
     * Chain: {@code scaleByBelief(b1, b2, eps, epsRoot, nesterov) → addDecayedWeights(λ) →
     * scaleByLearningRate(lr)}; λ = 0 (optax's {@code weight_decay=None}) leaves out the decay.
     */
    public static GradientTransformation adabelief(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                   double weightDecay, boolean nesterov) {
        return chain(scaleByBelief(b1, b2, eps, epsRoot, nesterov), addDecayedWeights(weightDecay),
                scaleByLearningRate(lr));
    }

    /** {@link #adamax(Schedule, double, double, double) adamax(lr, 0.9, 0.999, 1e-8)}: optax's defaults. */
    public static GradientTransformation adamax(double lr) {
        return adamax(Schedule.constant(lr), 0.9, 0.999, 1e-8);
    }

    /**
     * Adamax (Kingma &amp; Ba §7.1; PyTorch's {@code Adamax}): {@code v ← max(|g| + eps, b2·v)};
     * {@code u = −lr·(m/(1 − b1^t))/v}. Chain: {@code scaleByAdamax(b1, b2, eps) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation adamax(Schedule lr, double b1, double b2, double eps) {
        return chain(scaleByAdamax(b1, b2, eps), scaleByLearningRate(lr));
    }

    /** {@link #adamaxw(Schedule, double, double, double, double) adamaxw(lr, 0.9, 0.999, 1e-8, 1e-4)}: optax's defaults. */
    public static GradientTransformation adamaxw(double lr) {
        return adamaxw(Schedule.constant(lr), 0.9, 0.999, 1e-8, 1e-4);
    }

    /**
     * AdamaxW: Adamax with decoupled weight decay, {@code u = −lr·(m̂/v + λ·p)}. Chain:
     * {@code scaleByAdamax(b1, b2, eps) → addDecayedWeights(λ) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation adamaxw(Schedule lr, double b1, double b2, double eps, double weightDecay) {
        return chain(scaleByAdamax(b1, b2, eps), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** {@link #radam(Schedule, double, double, double, double, double, boolean) radam(lr, 0.9, 0.999, 1e-8, 0, 5, false)}: optax's defaults. */
    public static GradientTransformation radam(double lr) {
        return radam(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0, 5, false);
    }

    /**
     * Rectified Adam (Liu et al. 2020): Adam scaled by the variance rectification {@code r(ρ_t)}
     * once {@code ρ_t ≥ threshold}, plain momentum {@code u = −lr·m̂} before. Chain:
     * {@code scaleByRadam(b1, b2, eps, epsRoot, threshold, nesterov) → scaleByLearningRate(lr)}.
     * PyTorch's {@code RAdam} differs in where eps sits and tests {@code ρ_t > 5}; equal with eps = 0.
     */
    public static GradientTransformation radam(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                               double threshold, boolean nesterov) {
        return chain(scaleByRadam(b1, b2, eps, epsRoot, threshold, nesterov), scaleByLearningRate(lr));
    }

    /** {@link #yogi(Schedule, double, double, double) yogi(lr, 0.9, 0.999, 1e-3)}: optax's defaults. */
    public static GradientTransformation yogi(double lr) {
        return yogi(Schedule.constant(lr), 0.9, 0.999, 1e-3);
    }

    /**
     * Yogi (Zaheer et al. 2018): {@code v ← v − (1 − b2)·sign(v − g²)·g²};
     * {@code u = −lr·m̂/(√v̂ + eps)}; both moments start at 1e-6 (optax's fixed
     * {@code initial_accumulator_value}, with {@code eps_root = 0}). Chain:
     * {@code scaleByYogi(b1, b2, eps, 0, 1e-6) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation yogi(Schedule lr, double b1, double b2, double eps) {
        return chain(scaleByYogi(b1, b2, eps, 0, 1e-6), scaleByLearningRate(lr));
    }

    /** {@link #adagrad(Schedule, double, double) adagrad(lr, 0.1, 1e-7)}: optax's defaults. */
    public static GradientTransformation adagrad(double lr) {
        return adagrad(Schedule.constant(lr), 0.1, 1e-7);
    }

    /**
     * Adagrad (Duchi et al. 2011), optax's form: {@code S ← S + g²} from
     * {@code S₀ = initialAccumulator}; {@code u = −lr·g/√(S + eps)}. Chain:
     * {@code scaleByRss(initialAccumulator, eps) → scaleByLearningRate(lr)}. PyTorch puts eps
     * outside the root and starts from 0: equal with eps = 0 and the same positive start.
     */
    public static GradientTransformation adagrad(Schedule lr, double initialAccumulator, double eps) {
        return chain(scaleByRss(initialAccumulator, eps), scaleByLearningRate(lr));
    }

    /**
     * {@link #adadelta(Schedule, double, double, double) adadelta(lr, 0.9, 1e-6, 0)}: optax's
     * defaults, except that optax's default rate is {@code None} (no sign flip: gradient
     * ascent); use {@code lr = 1} for PyTorch's default.
     */
    public static GradientTransformation adadelta(double lr) {
        return adadelta(Schedule.constant(lr), 0.9, 1e-6, 0);
    }

    /**
     * Adadelta (Zeiler 2012; PyTorch's {@code Adadelta}, weight decay included):
     * <pre>
     * g ← g + λ·p ;  Eg ← rho·Eg + (1 − rho)·g² ;  δ = √(Ex + eps)/√(Eg + eps)·g ;  Ex ← rho·Ex + (1 − rho)·δ²
     * u = −lr·δ
     * </pre>
     * Chain: {@code addDecayedWeights(λ) → scaleByAdadelta(rho, eps) → scaleByLearningRate(lr)}
     * (the decay is L2, added before the scaling, as in optax).
     */
    public static GradientTransformation adadelta(Schedule lr, double rho, double eps, double weightDecay) {
        return chain(addDecayedWeights(weightDecay), scaleByAdadelta(rho, eps), scaleByLearningRate(lr));
    }

    /** {@link #lion(Schedule, double, double, double) lion(lr, 0.9, 0.99, 1e-3)}: optax's defaults. */
    public static GradientTransformation lion(double lr) {
        return lion(Schedule.constant(lr), 0.9, 0.99, 1e-3);
    }

    /**
     * Lion (Chen et al. 2023): {@code u = −lr·(sign((1 − b1)·g + b1·m) + λ·p)}, then
     * {@code m ← (1 − b2)·g + b2·m}. Every step moves each element by about lr: use a 3–10×
     * smaller rate and larger λ than AdamW. Chain: {@code scaleByLion(b1, b2) →
     * addDecayedWeights(λ) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation lion(Schedule lr, double b1, double b2, double weightDecay) {
        return chain(scaleByLion(b1, b2), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    /** SignSGD: {@code u = −lr·sign(g)}. Chain: {@code scaleBySign() → scaleByLearningRate(lr)}. */
    public static GradientTransformation signSgd(double lr) {
        return signSgd(Schedule.constant(lr));
    }

    /** {@link #signSgd(double)} with a learning-rate schedule. */
    public static GradientTransformation signSgd(Schedule lr) {
        return chain(scaleBySign(), scaleByLearningRate(lr));
    }

    /** {@link #noisySgd(Schedule, double, double, long) noisySgd(lr, 0.01, 0.55, 0)}: optax's defaults (key 0). */
    public static GradientTransformation noisySgd(double lr) {
        return noisySgd(Schedule.constant(lr), 0.01, 0.55, 0);
    }

    /**
     * SGD with annealed Gaussian gradient noise (Neelakantan et al. 2015):
     * {@code u = −lr·(g + √(eta/t^gamma)·ξ)}, {@code ξ ~ N(0, 1)} per element, drawn from a
     * generator seeded with {@code seed} (reproducible and resumable; not JAX's numbers). Chain:
     * {@code addNoise(eta, gamma, seed) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation noisySgd(Schedule lr, double eta, double gamma, long seed) {
        return chain(addNoise(eta, gamma, seed), scaleByLearningRate(lr));
    }

    /**
     * RMSProp with every optax option, {@code centered} included:
     * <pre>
     * ν ← decay·ν + (1 − decay)·g² ;  centered: μ ← decay·μ + (1 − decay)·g, var = ν − μ², else var = ν
     * a = −lr·g/√(var + eps)  (epsInSqrt)   or   −lr·g/(√var + eps)
     * τ ← a + μm·τ ;  u = τ  (Nesterov: u = a + μm·τ)          (only when μm ≠ 0)
     * </pre>
     * Chain: {@code scaleByStddev(decay, eps, epsInSqrt, false)} (centered) or
     * {@code scaleByRms(decay, eps, epsInSqrt, false)} {@code → scaleByLearningRate(lr) → trace(μm, nesterov)}.
     */
    public static GradientTransformation rmsprop(Schedule lr, double decay, double eps, boolean epsInSqrt,
                                                 boolean centered, double momentum, boolean nesterov) {
        GradientTransformation rms = centered ? scaleByStddev(decay, eps, epsInSqrt, false)
                : scaleByRms(decay, eps, epsInSqrt, false);
        return momentum == 0 ? chain(rms, scaleByLearningRate(lr))
                : chain(rms, scaleByLearningRate(lr), trace(momentum, nesterov));
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
