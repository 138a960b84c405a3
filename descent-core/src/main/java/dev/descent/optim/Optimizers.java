package dev.descent.optim;

import java.util.function.Predicate;

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

    // ----- lamb, lars, fromage, adan, novograd, optimistic, polyak, sm3, adafactor, lbfgs -----

    private static GradientTransformation maskedOrAll(GradientTransformation tx, Predicate<String> mask) {
        return mask == null ? tx : Transforms.masked(tx, mask);
    }

    /** {@link #lamb(Schedule, double, double, double, double, double, Predicate) lamb} with optax's defaults (b1 0.9, b2 0.999, eps 1e-6, no weight decay). */
    public static GradientTransformation lamb(double lr) {
        return lamb(Schedule.constant(lr), 0.9, 0.999, 1e-6, 0, 0, null);
    }

    /**
     * LAMB (You et al. 2020), per tensor:
     * <pre>
     * r = m̂/(√(v̂ + epsRoot) + eps) + λ·p           (Adam moments, bias-corrected)
     * u = −lr(c)·(‖p‖/‖r‖)·r                        (ratio 1 when either norm is 0)
     * </pre>
     * Chain: {@code scaleByAdam → addDecayedWeights(λ, mask) → scaleByTrustRatio(0, 1, 0) →
     * scaleByLearningRate(lr)}. A null mask decays every parameter.
     */
    public static GradientTransformation lamb(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                              double weightDecay, Predicate<String> weightDecayMask) {
        return chain(scaleByAdam(b1, b2, eps, epsRoot),
                maskedOrAll(Transforms.addDecayedWeights(weightDecay), weightDecayMask),
                Transforms.scaleByTrustRatio(0, 1, 0), scaleByLearningRate(lr));
    }

    /** {@link #lars(Schedule, double, Predicate, double, double, Predicate, double, boolean) lars} with optax's defaults (no weight decay, tc 0.001, eps 0, momentum 0.9). */
    public static GradientTransformation lars(double lr) {
        return lars(Schedule.constant(lr), 0, null, 0.001, 0, null, 0.9, false);
    }

    /**
     * LARS (You et al. 2017), per tensor:
     * <pre>
     * a = g + λ·p ;  ratio = tc·‖p‖/(‖a‖ + eps)     (1 when either norm is 0, or masked out)
     * τ ← −lr(c)·ratio·a + μ·τ ;  u = τ              (Nesterov: u = −lr(c)·ratio·a + μ·τ)
     * </pre>
     * Chain: {@code addDecayedWeights(λ, weightDecayMask) → masked(scaleByTrustRatio(0, tc, eps),
     * trustRatioMask) → scaleByLearningRate(lr) → trace(μ, nesterov)}; null masks select every
     * parameter. The momentum buffer holds rate-scaled steps.
     */
    public static GradientTransformation lars(Schedule lr, double weightDecay, Predicate<String> weightDecayMask,
                                              double trustCoefficient, double eps, Predicate<String> trustRatioMask,
                                              double momentum, boolean nesterov) {
        return chain(maskedOrAll(Transforms.addDecayedWeights(weightDecay), weightDecayMask),
                maskedOrAll(Transforms.scaleByTrustRatio(0, trustCoefficient, eps), trustRatioMask),
                scaleByLearningRate(lr), trace(momentum, nesterov));
    }

    /** {@link #fromage(Schedule, double) fromage(lr, 1e-6)}. */
    public static GradientTransformation fromage(double lr) {
        return fromage(Schedule.constant(lr), 1e-6);
    }

    /**
     * Fromage (Bernstein et al. 2020), per tensor, with {@code k = 1/√(1 + lr²)}:
     * <pre>
     * ratio = max(‖p‖, minNorm)/max(‖g‖, minNorm)
     * u = −lr·k·ratio·g + (k − 1)·p          i.e. p_new = (p − lr·ratio·g)/√(1 + lr²)
     * </pre>
     * Chain: {@code scaleByTrustRatio(minNorm, 1, 0) → scaleByLearningRate(lr·k) →
     * addDecayedWeights(k − 1)}; under a schedule lr and k are evaluated at each element's
     * counter, which stay in lockstep.
     */
    public static GradientTransformation fromage(Schedule lr, double minNorm) {
        Schedule k = c -> 1 / Math.sqrt(1 + lr.at(c) * lr.at(c));
        return chain(Transforms.scaleByTrustRatio(minNorm, 1, 0), scaleByLearningRate(c -> lr.at(c) * k.at(c)),
                Transforms.addDecayedWeights(c -> k.at(c) - 1));
    }

    /** {@link #adan(Schedule, double, double, double, double, double, double) adan} with optax's defaults (0.98, 0.92, 0.99, eps 1e-8, epsRoot 1e-8, no weight decay). */
    public static GradientTransformation adan(double lr) {
        return adan(Schedule.constant(lr), 0.98, 0.92, 0.99, 1e-8, 1e-8, 0);
    }

    /**
     * Adan (Xie et al. 2022), optax's additive decoupled weight decay:
     * {@code u = −lr(c)·(d + λ·p)} with {@code d} the {@link ScaleByAdan} direction.
     * Chain: {@code scaleByAdan → addDecayedWeights(λ) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation adan(Schedule lr, double b1, double b2, double b3, double eps,
                                              double epsRoot, double weightDecay) {
        return chain(Transforms.scaleByAdan(b1, b2, b3, eps, epsRoot), Transforms.addDecayedWeights(weightDecay),
                scaleByLearningRate(lr));
    }

    /** {@link #novograd(Schedule, double, double, double, double, double) novograd} with optax's defaults (0.9, 0.25, eps 1e-6, no weight decay). */
    public static GradientTransformation novograd(double lr) {
        return novograd(Schedule.constant(lr), 0.9, 0.25, 1e-6, 0, 0);
    }

    /**
     * NovoGrad (Ginsburg et al. 2019): {@code u = −lr(c)·m} with {@code m} the
     * {@link ScaleByNovograd} momentum of layer-normalised gradients plus {@code λ·p}.
     * Chain: {@code scaleByNovograd → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation novograd(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                  double weightDecay) {
        return chain(Transforms.scaleByNovograd(b1, b2, eps, epsRoot, weightDecay), scaleByLearningRate(lr));
    }

    /** {@link #optimisticGradientDescent(Schedule, double, double) optimisticGradientDescent(lr, 1, 1)}. */
    public static GradientTransformation optimisticGradientDescent(double lr) {
        return optimisticGradientDescent(Schedule.constant(lr), 1, 1);
    }

    /**
     * Optimistic gradient descent (Mokhtari et al. 2019):
     * {@code u = −lr(c)·((alpha + beta)·g − beta·g_prev)}, first update {@code −lr·alpha·g}.
     * Chain: {@code scaleByOptimisticGradient(alpha, beta) → scaleByLearningRate(lr)}.
     */
    public static GradientTransformation optimisticGradientDescent(Schedule lr, double alpha, double beta) {
        return chain(Transforms.scaleByOptimisticGradient(alpha, beta), scaleByLearningRate(lr));
    }

    /** {@link #optimisticAdam(double, double, double, double, double, double, boolean) optimisticAdam} with optimism = lr and optax's defaults (Nesterov on). */
    public static GradientTransformation optimisticAdam(double lr) {
        return optimisticAdam(lr, lr, 0.9, 0.999, 1e-8, 0, true);
    }

    /**
     * Optimistic Adam (optax {@code optimistic_adam}, v1; constant rate only): with {@code r_t}
     * the Adam direction (Nesterov by default),
     * {@code u = −((lr + o)·r_t − o·r_{t−1})}, {@code r_0 := r_1}, so the first update is
     * {@code −lr·r_1}. Chain: {@code scaleByAdam(nesterov) → scaleByOptimisticGradient(lr, o) →
     * scale(−1)}.
     */
    public static GradientTransformation optimisticAdam(double lr, double optimism, double b1, double b2,
                                                        double eps, double epsRoot, boolean nesterov) {
        return chain(Transforms.scaleByAdam(b1, b2, eps, epsRoot, nesterov),
                Transforms.scaleByOptimisticGradient(lr, optimism), Transforms.scale(-1));
    }

    /**
     * Optimistic Adam v2 (optax {@code optimistic_adam_v2}):
     * {@code u = −lr(c)·((alpha + beta)·r_t − beta·r_{t−1})}. Chain: {@code scaleByAdam(nesterov)
     * → scaleByOptimisticGradient(alpha, beta) → scaleByLearningRate(lr)}. With alpha = beta = 1
     * and a constant rate it equals {@link #optimisticAdam(double)}.
     */
    public static GradientTransformation optimisticAdamV2(Schedule lr, double alpha, double beta, double b1,
                                                          double b2, double eps, double epsRoot, boolean nesterov) {
        return chain(Transforms.scaleByAdam(b1, b2, eps, epsRoot, nesterov),
                Transforms.scaleByOptimisticGradient(alpha, beta), scaleByLearningRate(lr));
    }

    /** {@link #polyakSgd(double, Schedule, double, double, boolean) polyakSgd(1, 1, fMin, 0, sps)}. */
    public static GradientTransformation polyakSgd(double fMin) {
        return polyakSgd(1, Schedule.constant(1), fMin, 0, false);
    }

    /**
     * SGD with Polyak step sizes (Loizou et al. 2021, SPS; optax {@code polyak_sgd}); needs the loss
     * {@link UpdateContext#value()} at the current parameters and the known minimum {@code fMin}:
     * <pre>
     * w = −s(c)·g ;  gap = value − fMin (sps+: max(gap, 0))
     * u = min(gap/(Σ‖w‖² + eps), maxLearningRate)·w       (0 when Σ‖w‖² + eps ≤ 2.2e-16)
     * </pre>
     * The norm is that of the scaled step w, as in optax's code (its docstring differs unless
     * s = 1). Chain: {@code scaleByLearningRate(scaling) → scaleByPolyak}.
     */
    public static GradientTransformation polyakSgd(double maxLearningRate, Schedule scaling, double fMin, double eps,
                                                   boolean spsPlus) {
        return chain(scaleByLearningRate(scaling), Transforms.scaleByPolyak(fMin, maxLearningRate, eps, spsPlus));
    }

    /** {@link #sm3(double, double) sm3(lr, 0.9)}. */
    public static GradientTransformation sm3(double lr) {
        return sm3(lr, 0.9);
    }

    /**
     * SM3 (Anil et al. 2019), constant rate only: {@code u = −lr·ν} with {@code ν} the
     * {@link ScaleBySm3} EMA of cover-normalised gradients. Chain: {@code scaleBySm3(momentum) →
     * scale(−lr)}.
     */
    public static GradientTransformation sm3(double lr, double momentum) {
        return chain(Transforms.scaleBySm3(momentum), Transforms.scale(-lr));
    }

    /** Adafactor with all of optax's defaults: no learning rate (steps relative to the parameter scale). */
    public static GradientTransformation adafactor() {
        return adafactor(null, 128, 0.8, 0, true, 1, Double.NaN, Double.NaN, 1e-30, true, null);
    }

    /** Adafactor with a constant rate and optax's other defaults. */
    public static GradientTransformation adafactor(double lr) {
        return adafactor(Schedule.constant(lr), 128, 0.8, 0, true, 1, Double.NaN, Double.NaN, 1e-30, true, null);
    }

    /**
     * Adafactor (Shazeer &amp; Stern 2018), per tensor:
     * <pre>
     * x = g/√V̂                          (V̂ factored as R·C/mean(R) for large matrices, see {@link ScaleByFactoredRms})
     * x ← x / max(1, rms(x)/clippingThreshold)
     * x ← lr(c)·x                        (if lr is not null)
     * x ← x·max(rms(p), 1e-3)           (if multiplyByParameterScale)
     * m ← (1−momentum)·x + momentum·m ; x = m      (if momentum is not NaN; no bias correction)
     * x ← x + λ·p                        (if weightDecayRate is not NaN; not × lr)
     * u = −x
     * </pre>
     * Chain: {@code scaleByFactoredRms → clipByBlockRms → scaleBySchedule(lr) →
     * scaleByParamBlockRms(1e-3) → ema(momentum, false) → addDecayedWeights(λ, mask) → scale(−1)},
     * each optional element present only when asked for. NaN turns clipping, momentum and weight
     * decay off. optax keeps the momentum buffer in float32 by default; this one is double.
     */
    public static GradientTransformation adafactor(Schedule lr, int minDimSizeToFactor, double decayRate,
                                                   double decayOffset, boolean multiplyByParameterScale,
                                                   double clippingThreshold, double momentum, double weightDecayRate,
                                                   double eps, boolean factored, Predicate<String> weightDecayMask) {
        java.util.List<GradientTransformation> elements = new java.util.ArrayList<>();
        elements.add(Transforms.scaleByFactoredRms(factored, decayRate, decayOffset, minDimSizeToFactor, eps));
        if (!Double.isNaN(clippingThreshold)) {
            elements.add(Transforms.clipByBlockRms(clippingThreshold));
        }
        if (lr != null) {
            elements.add(Transforms.scaleBySchedule(lr));
        }
        if (multiplyByParameterScale) {
            elements.add(Transforms.scaleByParamBlockRms(1e-3));
        }
        if (!Double.isNaN(momentum)) {
            elements.add(Transforms.ema(momentum, false));
        }
        if (!Double.isNaN(weightDecayRate)) {
            elements.add(maskedOrAll(Transforms.addDecayedWeights(weightDecayRate), weightDecayMask));
        }
        elements.add(Transforms.scale(-1));
        return chain(elements.toArray(GradientTransformation[]::new));
    }

    /** L-BFGS with optax's defaults: memory 10, scaled initial preconditioner, zoom line search (20 steps, first guess 1). */
    public static GradientTransformation lbfgs() {
        return lbfgs(null, 10, true, Transforms.scaleByZoomLinesearch(20, false));
    }

    /**
     * L-BFGS (Nocedal &amp; Wright Alg. 7.4/7.5), optax's form:
     * <pre>
     * d = −H⁻¹·g   (two-loop recursion, {@link ScaleByLbfgs}; × lr(c) instead of 1 when lr is not null)
     * u = η·d      (η from the line search, e.g. {@link ScaleByZoomLinesearch}; η = 1 without one)
     * </pre>
     * Chain: {@code scaleByLbfgs(memorySize, scaleInitPrecond) → scale(−1) or
     * scaleByLearningRate(lr) → linesearch}. The line search needs an {@link ObjectiveFunction}
     * as {@link UpdateContext#valueFunction()}; the gradient passed in must be that of the same
     * objective at the current parameters.
     */
    public static GradientTransformation lbfgs(Schedule lr, int memorySize, boolean scaleInitPrecond,
                                               GradientTransformation linesearch) {
        GradientTransformation direction = Transforms.scaleByLbfgs(memorySize, scaleInitPrecond);
        GradientTransformation rate = lr == null ? Transforms.scale(-1) : scaleByLearningRate(lr);
        return linesearch == null ? chain(direction, rate) : chain(direction, rate, linesearch);
    }
}
