package dev.descent.optim;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The named optimizers as typed Java methods (optax's aliases), built from the rows of
 * {@link OptimizerRegistry}, where each one's chain of transforms and defaults are written. A short
 * form takes the learning rate and the row's defaults (optax's); a long form takes every
 * hyperparameter. {@code g} is the gradient of the (batch-mean) loss, so it already equals the
 * lecture's {@code d/batch_size}; the caller applies {@code w ← w + u}.
 *
 * <p>The lecture's four optimizers are reached as follows (see each method):
 * <ul>
 * <li>SGD {@code w := w − η/batch_size·d}: {@link #sgd(double) sgd(η)};</li>
 * <li>momentum {@code v := α·v − η·g; w := w + v}: {@link #momentum(double, double) momentum(η, α)};</li>
 * <li>RMS-Prop {@code r := ρ·r + (1−ρ)·g²; w := w − η·g/√(r + ε)}:
 *     {@link #rmsprop(double, double, double) rmsprop(η, ρ, 1e-7)} (optax's default ε is 1e-8);</li>
 * <li>Adam with bias correction: {@link #adam(double, double, double, double) adam(η, β1, β2, ε)}.</li>
 * </ul>
 * Methods with a {@link Schedule} evaluate it at the learning-rate element's own counter, so the
 * first update uses {@code lr(0)}. (A constant rate given to {@code adam}, {@code sgd},
 * {@code momentum}, {@code rmsprop}, {@code sm3} and {@code optimisticAdam} is a stateless scale; the
 * others keep a step counter, as they always have, so saved states still restore.)
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** AdamW with optax's defaults (b1 0.9, b2 0.999, eps 1e-8, weight decay 1e-4). */
    public static GradientTransformation adamw(double lr) {
        return OptimizerRegistry.build("adamw", Schedule.constant(lr), Map.of());
    }

    /**
     * AdamW, Adam with decoupled weight decay (Loshchilov &amp; Hutter), optax's form (the decay
     * is multiplied by the learning rate, as in PyTorch's {@code AdamW}):
     * {@code u = −lr·(m̂/(√(v̂ + epsRoot) + eps) + λ·p)}. Chain: {@code scaleByAdam → addDecayedWeights(λ) →
     * scaleByLearningRate(lr)}. To decay only some parameters, chain
     * {@link Transforms#masked masked(addDecayedWeights(λ), …)} yourself.
     */
    public static GradientTransformation adamw(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                               double weightDecay) {
        return OptimizerRegistry.build("adamw", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot,
                "weight_decay", weightDecay));
    }

    /** NAdam with optax's defaults. */
    public static GradientTransformation nadam(double lr) {
        return OptimizerRegistry.build("nadam", Schedule.constant(lr), Map.of());
    }

    /**
     * NAdam, optax's form (Adam with {@code nesterov=True}; not PyTorch's {@code NAdam}, which uses a
     * momentum schedule): {@code m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t)};
     * {@code u = −lr·m̂/(√(v̂ + epsRoot) + eps)}.
     */
    public static GradientTransformation nadam(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return OptimizerRegistry.build("nadam", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot));
    }

    /** NAdamW with optax's defaults (weight decay 1e-4). */
    public static GradientTransformation nadamw(double lr) {
        return OptimizerRegistry.build("nadamw", Schedule.constant(lr), Map.of());
    }

    /** NAdamW: {@link #nadam NAdam} with AdamW's decoupled weight decay, {@code u = −lr·(d + λ·p)}. */
    public static GradientTransformation nadamw(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                double weightDecay) {
        return OptimizerRegistry.build("nadamw", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot,
                "weight_decay", weightDecay));
    }

    /** AMSGrad with optax's defaults. */
    public static GradientTransformation amsgrad(double lr) {
        return OptimizerRegistry.build("amsgrad", Schedule.constant(lr), Map.of());
    }

    /**
     * AMSGrad, optax's form: {@code vmax ← max(vmax, v̂)}; {@code u = −lr·m̂/(√(vmax + epsRoot) + eps)}
     * with both moments bias-corrected (not PyTorch's {@code amsgrad=True}).
     */
    public static GradientTransformation amsgrad(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return OptimizerRegistry.build("amsgrad", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot));
    }

    /** AdaBelief with optax's defaults (eps = epsRoot = 1e-16; the paper uses eps = 1e-8, epsRoot = 0). */
    public static GradientTransformation adabelief(double lr) {
        return OptimizerRegistry.build("adabelief", Schedule.constant(lr), Map.of());
    }

    /**
     * AdaBelief (Zhuang et al. 2020): {@code s ← b2·s + (1 − b2)·(g − m)² + epsRoot};
     * {@code u = −lr·(m̂/(√ŝ + eps) + λ·p)} (m̂ Nesterov's when {@code nesterov}).
     */
    public static GradientTransformation adabelief(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                   double weightDecay, boolean nesterov) {
        return OptimizerRegistry.build("adabelief", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot,
                "weight_decay", weightDecay, "nesterov", nesterov));
    }

    /** Adamax with optax's defaults. */
    public static GradientTransformation adamax(double lr) {
        return OptimizerRegistry.build("adamax", Schedule.constant(lr), Map.of());
    }

    /**
     * Adamax (Kingma &amp; Ba §7.1; PyTorch's {@code Adamax}): {@code v ← max(|g| + eps, b2·v)};
     * {@code u = −lr·(m/(1 − b1^t))/v}.
     */
    public static GradientTransformation adamax(Schedule lr, double b1, double b2, double eps) {
        return OptimizerRegistry.build("adamax", lr, Map.of("b1", b1, "b2", b2, "eps", eps));
    }

    /** AdamaxW with optax's defaults (weight decay 1e-4). */
    public static GradientTransformation adamaxw(double lr) {
        return OptimizerRegistry.build("adamaxw", Schedule.constant(lr), Map.of());
    }

    /** AdamaxW: Adamax with decoupled weight decay, {@code u = −lr·(m̂/v + λ·p)}. */
    public static GradientTransformation adamaxw(Schedule lr, double b1, double b2, double eps, double weightDecay) {
        return OptimizerRegistry.build("adamaxw", lr, Map.of("b1", b1, "b2", b2, "eps", eps,
                "weight_decay", weightDecay));
    }

    /** RAdam with optax's defaults (threshold 5). */
    public static GradientTransformation radam(double lr) {
        return OptimizerRegistry.build("radam", Schedule.constant(lr), Map.of());
    }

    /**
     * Rectified Adam (Liu et al. 2020): Adam scaled by the variance rectification {@code r(ρ_t)} once
     * {@code ρ_t ≥ threshold}, plain momentum {@code u = −lr·m̂} before. PyTorch's {@code RAdam}
     * differs in where eps sits and tests {@code ρ_t > 5}; equal with eps = 0.
     */
    public static GradientTransformation radam(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                               double threshold, boolean nesterov) {
        return OptimizerRegistry.build("radam", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot,
                "threshold", threshold, "nesterov", nesterov));
    }

    /** Yogi with optax's defaults (eps 1e-3). */
    public static GradientTransformation yogi(double lr) {
        return OptimizerRegistry.build("yogi", Schedule.constant(lr), Map.of());
    }

    /**
     * Yogi (Zaheer et al. 2018): {@code v ← v − (1 − b2)·sign(v − g²)·g²};
     * {@code u = −lr·m̂/(√v̂ + eps)}; both moments start at 1e-6 (optax's fixed
     * {@code initial_accumulator_value}).
     */
    public static GradientTransformation yogi(Schedule lr, double b1, double b2, double eps) {
        return OptimizerRegistry.build("yogi", lr, Map.of("b1", b1, "b2", b2, "eps", eps));
    }

    /** Adagrad with optax's defaults (initial accumulator 0.1, eps 1e-7). */
    public static GradientTransformation adagrad(double lr) {
        return OptimizerRegistry.build("adagrad", Schedule.constant(lr), Map.of());
    }

    /**
     * Adagrad (Duchi et al. 2011), optax's form: {@code S ← S + g²} from {@code S₀ = initialAccumulator};
     * {@code u = −lr·g/√(S + eps)}. PyTorch puts eps outside the root and starts from 0: equal with
     * eps = 0 and the same positive start.
     */
    public static GradientTransformation adagrad(Schedule lr, double initialAccumulator, double eps) {
        return OptimizerRegistry.build("adagrad", lr, Map.of("initial_accumulator_value", initialAccumulator,
                "eps", eps));
    }

    /**
     * Adadelta with optax's defaults (rho 0.9, eps 1e-6, no weight decay); optax's default rate is
     * {@code None} (no sign flip: gradient ascent), use {@code lr = 1} for PyTorch's default.
     */
    public static GradientTransformation adadelta(double lr) {
        return OptimizerRegistry.build("adadelta", Schedule.constant(lr), Map.of());
    }

    /**
     * Adadelta (Zeiler 2012; PyTorch's {@code Adadelta}, weight decay included): {@code g ← g + λ·p};
     * {@code δ = √(Ex + eps)/√(Eg + eps)·g}; {@code u = −lr·δ}.
     */
    public static GradientTransformation adadelta(Schedule lr, double rho, double eps, double weightDecay) {
        return OptimizerRegistry.build("adadelta", lr, Map.of("rho", rho, "eps", eps, "weight_decay", weightDecay));
    }

    /** Lion with optax's defaults (b1 0.9, b2 0.99, weight decay 1e-3). */
    public static GradientTransformation lion(double lr) {
        return OptimizerRegistry.build("lion", Schedule.constant(lr), Map.of());
    }

    /**
     * Lion (Chen et al. 2023): {@code u = −lr·(sign((1 − b1)·g + b1·m) + λ·p)}, then
     * {@code m ← (1 − b2)·g + b2·m}. Every step moves each element by about lr: use a 3–10× smaller
     * rate and larger λ than AdamW.
     */
    public static GradientTransformation lion(Schedule lr, double b1, double b2, double weightDecay) {
        return OptimizerRegistry.build("lion", lr, Map.of("b1", b1, "b2", b2, "weight_decay", weightDecay));
    }

    /** SignSGD: {@code u = −lr·sign(g)}. */
    public static GradientTransformation signSgd(double lr) {
        return signSgd(Schedule.constant(lr));
    }

    /** {@link #signSgd(double)} with a learning-rate schedule. */
    public static GradientTransformation signSgd(Schedule lr) {
        return OptimizerRegistry.build("sign_sgd", lr, Map.of());
    }

    /** Noisy SGD with optax's defaults (eta 0.01, gamma 0.55, key 0). */
    public static GradientTransformation noisySgd(double lr) {
        return OptimizerRegistry.build("noisy_sgd", Schedule.constant(lr), Map.of());
    }

    /**
     * SGD with annealed Gaussian gradient noise (Neelakantan et al. 2015):
     * {@code u = −lr·(g + √(eta/t^gamma)·ξ)}, {@code ξ ~ N(0, 1)} per element, drawn from a generator
     * seeded with {@code seed} (reproducible and resumable; not JAX's numbers).
     */
    public static GradientTransformation noisySgd(Schedule lr, double eta, double gamma, long seed) {
        return OptimizerRegistry.build("noisy_sgd", lr, Map.of("eta", eta, "gamma", gamma, "key", seed));
    }

    /**
     * RMSProp with every option, {@code centered} included: {@code ν ← decay·ν + (1 − decay)·g²};
     * {@code a = −lr·g/√(var + eps)} ({@code epsInSqrt}) or {@code −lr·g/(√var + eps)}, var = ν, or
     * {@code ν − μ²} when centered (μ the EMA of g); momentum {@code τ ← a + μm·τ} after the rate.
     */
    public static GradientTransformation rmsprop(Schedule lr, double decay, double eps, boolean epsInSqrt,
                                                 boolean centered, double momentum, boolean nesterov) {
        return OptimizerRegistry.build("rmsprop", lr, rmspropSettings(decay, eps, epsInSqrt, centered, momentum,
                nesterov));
    }

    private static Map<String, Object> rmspropSettings(double decay, double eps, boolean epsInSqrt, boolean centered,
                                                       double momentum, boolean nesterov) {
        return Map.of("decay", decay, "eps", eps, "eps_in_sqrt", epsInSqrt, "centered", centered,
                "momentum", momentum, "nesterov", nesterov);
    }

    /**
     * Plain SGD: {@code u = −lr·g}, i.e. the lecture's {@code w := w − η/batch_size·d}.
     */
    public static GradientTransformation sgd(double lr) {
        return sgd(lr, 0, false);
    }

    /**
     * SGD with heavy-ball or Nesterov momentum, as optax and PyTorch ({@code dampening=0}):
     * {@code τ ← g + μ·τ}; {@code u = −lr·τ} (Nesterov: {@code u = −lr·(g + μ·τ)}). For a constant
     * rate this equals the lecture's velocity form; for the form itself, also under a schedule, use
     * {@link #momentum}.
     */
    public static GradientTransformation sgd(double lr, double momentum, boolean nesterov) {
        return OptimizerRegistry.build("sgd", lr, Map.of("momentum", momentum, "nesterov", nesterov));
    }

    /** {@link #sgd(double, double, boolean)} with a learning-rate schedule. */
    public static GradientTransformation sgd(Schedule lr, double momentum, boolean nesterov) {
        return OptimizerRegistry.build("sgd", lr, Map.of("momentum", momentum, "nesterov", nesterov));
    }

    /**
     * The lecture's momentum, velocity form: {@code v := α·v − lr·g; w := w + v} ({@code v₀ = 0},
     * so {@code u = v}); the buffer holds rate-scaled steps. Equal to
     * {@link #sgd(double, double, boolean) sgd(lr, α, false)} for a constant rate; under a schedule
     * old steps keep their old rate.
     */
    public static GradientTransformation momentum(double lr, double alpha) {
        return OptimizerRegistry.build("momentum", lr, Map.of("momentum", alpha));
    }

    /** {@link #momentum(double, double)} with a learning-rate schedule. */
    public static GradientTransformation momentum(Schedule lr, double alpha) {
        return OptimizerRegistry.build("momentum", lr, Map.of("momentum", alpha));
    }

    /** RMSProp with optax's defaults: {@code rmsprop(lr, 0.9, 1e-8)}. */
    public static GradientTransformation rmsprop(double lr) {
        return rmsprop(lr, 0.9, 1e-8);
    }

    /**
     * RMSProp (Hinton), optax's form with ε inside the root: {@code ν ← decay·ν + (1 − decay)·g²};
     * {@code u = −lr·g/√(ν + eps)}. The lecture's RMS-Prop is {@code rmsprop(η, ρ, 1e-7)}; PyTorch puts
     * ε outside the root: use the long form with {@code epsInSqrt = false}.
     */
    public static GradientTransformation rmsprop(double lr, double decay, double eps) {
        return rmsprop(lr, decay, eps, true, 0, false);
    }

    /** RMSProp with all of optax's non-centered options; momentum acts after the learning rate, as in optax. */
    public static GradientTransformation rmsprop(double lr, double decay, double eps, boolean epsInSqrt,
                                                 double momentum, boolean nesterov) {
        return OptimizerRegistry.build("rmsprop", lr, rmspropSettings(decay, eps, epsInSqrt, false, momentum,
                nesterov));
    }

    /** {@link #rmsprop(double, double, double, boolean, double, boolean)} with a learning-rate schedule. */
    public static GradientTransformation rmsprop(Schedule lr, double decay, double eps, boolean epsInSqrt,
                                                 double momentum, boolean nesterov) {
        return rmsprop(lr, decay, eps, epsInSqrt, false, momentum, nesterov);
    }

    /** Adam with optax's and PyTorch's defaults: {@code adam(lr, 0.9, 0.999, 1e-8)}. */
    public static GradientTransformation adam(double lr) {
        return OptimizerRegistry.build("adam", lr, Map.of());
    }

    /**
     * Adam with bias correction (Kingma &amp; Ba, Alg. 1; the lecture's Adam; PyTorch's Adam):
     * {@code m ← b1·m + (1 − b1)·g}, {@code v ← b2·v + (1 − b2)·g²},
     * {@code u = −lr·(m/(1 − b1^t))/(√(v/(1 − b2^t)) + eps)}, {@code t = 1, 2, …}; see {@link ScaleByAdam}.
     */
    public static GradientTransformation adam(double lr, double b1, double b2, double eps) {
        return OptimizerRegistry.build("adam", lr, Map.of("b1", b1, "b2", b2, "eps", eps));
    }

    /** {@link #adam(double, double, double, double)} with a learning-rate schedule and optax's {@code eps_root}. */
    public static GradientTransformation adam(Schedule lr, double b1, double b2, double eps, double epsRoot) {
        return OptimizerRegistry.build("adam", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot));
    }

    /** {@code settings} and, when {@code value} is not null, the Java-only setting {@code name} (a mask, a line search). */
    private static Map<String, Object> with(Map<String, ?> settings, String name, Object value) {
        Map<String, Object> out = new HashMap<>(settings);
        if (value != null) {
            out.put(name, value);
        }
        return out;
    }

    /** LAMB with optax's defaults (b1 0.9, b2 0.999, eps 1e-6, no weight decay). */
    public static GradientTransformation lamb(double lr) {
        return OptimizerRegistry.build("lamb", Schedule.constant(lr), Map.of());
    }

    /**
     * LAMB (You et al. 2020), per tensor: {@code r = m̂/(√(v̂ + epsRoot) + eps) + λ·p};
     * {@code u = −lr(c)·(‖p‖/‖r‖)·r} (ratio 1 when either norm is 0). A null mask decays every parameter.
     */
    public static GradientTransformation lamb(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                              double weightDecay, Predicate<String> weightDecayMask) {
        return OptimizerRegistry.build("lamb", lr, with(Map.of("b1", b1, "b2", b2, "eps", eps,
                "eps_root", epsRoot, "weight_decay", weightDecay), "mask", weightDecayMask));
    }

    /** LARS with optax's defaults (no weight decay, tc 0.001, eps 0, momentum 0.9). */
    public static GradientTransformation lars(double lr) {
        return OptimizerRegistry.build("lars", Schedule.constant(lr), Map.of());
    }

    /**
     * LARS (You et al. 2017), per tensor: {@code a = g + λ·p}; {@code ratio = tc·‖p‖/(‖a‖ + eps)} (1 when
     * either norm is 0, or masked out); {@code τ ← −lr(c)·ratio·a + μ·τ}; {@code u = τ} (Nesterov:
     * {@code −lr(c)·ratio·a + μ·τ}). Null masks select every parameter.
     */
    public static GradientTransformation lars(Schedule lr, double weightDecay, Predicate<String> weightDecayMask,
                                              double trustCoefficient, double eps, Predicate<String> trustRatioMask,
                                              double momentum, boolean nesterov) {
        return OptimizerRegistry.build("lars", lr, with(with(Map.of("weight_decay", weightDecay,
                        "trust_coefficient", trustCoefficient, "eps", eps, "momentum", momentum, "nesterov", nesterov),
                "weight_decay_mask", weightDecayMask), "trust_ratio_mask", trustRatioMask));
    }

    /** Fromage with {@code minNorm = 1e-6}. */
    public static GradientTransformation fromage(double lr) {
        return OptimizerRegistry.build("fromage", Schedule.constant(lr), Map.of());
    }

    /**
     * Fromage (Bernstein et al. 2020), per tensor, with {@code k = 1/√(1 + lr²)} and
     * {@code ratio = max(‖p‖, minNorm)/max(‖g‖, minNorm)}: {@code p_new = (p − lr·ratio·g)/√(1 + lr²)}.
     */
    public static GradientTransformation fromage(Schedule lr, double minNorm) {
        return OptimizerRegistry.build("fromage", lr, Map.of("min_norm", minNorm));
    }

    /** Adan with optax's defaults (0.98, 0.92, 0.99, eps 1e-8, epsRoot 1e-8, no weight decay). */
    public static GradientTransformation adan(double lr) {
        return OptimizerRegistry.build("adan", Schedule.constant(lr), Map.of());
    }

    /**
     * Adan (Xie et al. 2022), optax's additive decoupled weight decay: {@code u = −lr(c)·(d + λ·p)}
     * with {@code d} the {@link ScaleByAdan} direction.
     */
    public static GradientTransformation adan(Schedule lr, double b1, double b2, double b3, double eps,
                                              double epsRoot, double weightDecay) {
        return OptimizerRegistry.build("adan", lr, Map.of("b1", b1, "b2", b2, "b3", b3, "eps", eps,
                "eps_root", epsRoot, "weight_decay", weightDecay));
    }

    /** NovoGrad with optax's defaults (0.9, 0.25, eps 1e-6, no weight decay). */
    public static GradientTransformation novograd(double lr) {
        return OptimizerRegistry.build("novograd", Schedule.constant(lr), Map.of());
    }

    /**
     * NovoGrad (Ginsburg et al. 2019): {@code u = −lr(c)·m} with {@code m} the {@link ScaleByNovograd}
     * momentum of layer-normalised gradients plus {@code λ·p}.
     */
    public static GradientTransformation novograd(Schedule lr, double b1, double b2, double eps, double epsRoot,
                                                  double weightDecay) {
        return OptimizerRegistry.build("novograd", lr, Map.of("b1", b1, "b2", b2, "eps", eps, "eps_root", epsRoot,
                "weight_decay", weightDecay));
    }

    /** Optimistic gradient descent with alpha = beta = 1. */
    public static GradientTransformation optimisticGradientDescent(double lr) {
        return OptimizerRegistry.build("optimistic_gradient_descent", Schedule.constant(lr), Map.of());
    }

    /**
     * Optimistic gradient descent (Mokhtari et al. 2019): {@code u = −lr(c)·((alpha + beta)·g − beta·g_prev)},
     * first update {@code −lr·alpha·g}.
     */
    public static GradientTransformation optimisticGradientDescent(Schedule lr, double alpha, double beta) {
        return OptimizerRegistry.build("optimistic_gradient_descent", lr, Map.of("alpha", alpha, "beta", beta));
    }

    /** {@link #optimisticAdam(double, double, double, double, double, double, boolean) optimisticAdam} with optimism = lr and optax's defaults (Nesterov on). */
    public static GradientTransformation optimisticAdam(double lr) {
        return optimisticAdam(lr, lr, 0.9, 0.999, 1e-8, 0, true);
    }

    /**
     * Optimistic Adam (optax {@code optimistic_adam}, v1; constant rate only): with {@code r_t} the Adam
     * direction (Nesterov by default), {@code u = −((lr + o)·r_t − o·r_{t−1})}, {@code r_0 := r_1}, so the
     * first update is {@code −lr·r_1}: the {@code optimistic_adam} row (v2) with alpha = lr,
     * beta = optimism and a rate of 1.
     */
    public static GradientTransformation optimisticAdam(double lr, double optimism, double b1, double b2,
                                                        double eps, double epsRoot, boolean nesterov) {
        return OptimizerRegistry.build("optimistic_adam", 1, Map.of("alpha", lr, "beta", optimism, "b1", b1,
                "b2", b2, "eps", eps, "eps_root", epsRoot, "nesterov", nesterov));
    }

    /**
     * Optimistic Adam v2 (optax {@code optimistic_adam_v2}): {@code u = −lr(c)·((alpha + beta)·r_t − beta·r_{t−1})}.
     * With alpha = beta = 1 and a constant rate it equals {@link #optimisticAdam(double)}.
     */
    public static GradientTransformation optimisticAdamV2(Schedule lr, double alpha, double beta, double b1,
                                                          double b2, double eps, double epsRoot, boolean nesterov) {
        return OptimizerRegistry.build("optimistic_adam", lr, Map.of("alpha", alpha, "beta", beta, "b1", b1,
                "b2", b2, "eps", eps, "eps_root", epsRoot, "nesterov", nesterov));
    }

    /** {@link #polyakSgd(double, Schedule, double, double, boolean) polyakSgd(1, 1, fMin, 0, false)}. */
    public static GradientTransformation polyakSgd(double fMin) {
        return OptimizerRegistry.build("polyak_sgd", Schedule.constant(1), Map.of("f_min", fMin));
    }

    /**
     * SGD with Polyak step sizes (Loizou et al. 2021, SPS; optax {@code polyak_sgd}); needs the loss
     * {@link UpdateContext#value()} at the current parameters and the known minimum {@code fMin}:
     * {@code w = −s(c)·g}; {@code gap = value − fMin} (sps+: {@code max(gap, 0)});
     * {@code u = min(gap/(Σ‖w‖² + eps), maxLearningRate)·w} (0 when {@code Σ‖w‖² + eps ≤ 2.2e-16}).
     * The norm is that of the scaled step w, as in optax's code.
     */
    public static GradientTransformation polyakSgd(double maxLearningRate, Schedule scaling, double fMin, double eps,
                                                   boolean spsPlus) {
        return OptimizerRegistry.build("polyak_sgd", scaling, Map.of("max_learning_rate", maxLearningRate,
                "f_min", fMin, "eps", eps, "sps_plus", spsPlus));
    }

    /** SM3 with momentum 0.9. */
    public static GradientTransformation sm3(double lr) {
        return sm3(lr, 0.9);
    }

    /**
     * SM3 (Anil et al. 2019), constant rate only: {@code u = −lr·ν} with {@code ν} the {@link ScaleBySm3}
     * EMA of cover-normalised gradients.
     */
    public static GradientTransformation sm3(double lr, double momentum) {
        return OptimizerRegistry.build("sm3", lr, Map.of("momentum", momentum));
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
     * Adafactor (Shazeer &amp; Stern 2018), per tensor: {@code x = g/√V̂} (V̂ factored for large
     * matrices, see {@link ScaleByFactoredRms}); {@code x ← x/max(1, rms(x)/clippingThreshold)};
     * {@code x ← lr(c)·x} (if lr is not null); {@code x ← x·max(rms(p), 1e-3)} (if
     * multiplyByParameterScale); {@code m ← (1−momentum)·x + momentum·m, x = m}; {@code x ← x + λ·p}
     * (not × lr); {@code u = −x}. NaN turns clipping, momentum and weight decay off. optax keeps the
     * momentum buffer in float32 by default; this one is double.
     */
    public static GradientTransformation adafactor(Schedule lr, int minDimSizeToFactor, double decayRate,
                                                   double decayOffset, boolean multiplyByParameterScale,
                                                   double clippingThreshold, double momentum, double weightDecayRate,
                                                   double eps, boolean factored, Predicate<String> weightDecayMask) {
        Map<String, Object> settings = with(Map.of("min_dim_size_to_factor", minDimSizeToFactor,
                "decay_rate", decayRate, "decay_offset", decayOffset,
                "multiply_by_parameter_scale", multiplyByParameterScale, "clipping_threshold", clippingThreshold,
                "momentum", momentum, "weight_decay_rate", weightDecayRate, "eps", eps, "factored", factored),
                "weight_decay_mask", weightDecayMask);
        return lr == null ? OptimizerRegistry.build("adafactor", 0, settings)
                : OptimizerRegistry.build("adafactor", lr, settings);
    }

    /** L-BFGS with optax's defaults: memory 10, scaled initial preconditioner, zoom line search (20 steps, first guess 1). */
    public static GradientTransformation lbfgs() {
        return OptimizerRegistry.build("lbfgs", Schedule.constant(1), Map.of());
    }

    /**
     * L-BFGS (Nocedal &amp; Wright Alg. 7.4/7.5), optax's form: {@code d = −H⁻¹·g} (two-loop recursion,
     * {@link ScaleByLbfgs}); {@code u = η·d}, η from {@code linesearch} (e.g. {@link ScaleByZoomLinesearch}),
     * or {@code u = lr(c)·d} without one ({@code lr} null: 1). The line search needs an
     * {@link ObjectiveFunction} as {@link UpdateContext#valueFunction()}; the gradient passed in must be
     * that of the same objective at the current parameters. Given both, the rate scales the direction
     * before the search.
     */
    public static GradientTransformation lbfgs(Schedule lr, int memorySize, boolean scaleInitPrecond,
                                               GradientTransformation linesearch) {
        Map<String, Object> settings = Map.of("memory_size", memorySize, "scale_init_precond", scaleInitPrecond);
        if (lr == null) {
            return OptimizerRegistry.build("lbfgs", 1, linesearch == null ? with(settings, "linesearch", false)
                    : with(settings, "linesearch", linesearch));
        }
        GradientTransformation rated = OptimizerRegistry.build("lbfgs", lr, with(settings, "linesearch", false));
        return linesearch == null ? rated : Transforms.chain(rated, linesearch);
    }
}
