package dev.descent.optim;

import dev.descent.tensor.Storage;

import java.util.List;
import java.util.function.Predicate;

/**
 * The building blocks optimizers are {@link #chain chained} from (optax's
 * {@code optax.transforms}). {@code g} is the incoming update, {@code u} the outgoing one,
 * {@code p} the parameter, {@code c} the transformation's own counter (0 on the first update)
 * and {@code t = c + 1}. All of them overwrite and return their incoming updates.
 */
public final class Transforms {
    private Transforms() {
    }

    /** Adam's direction, with NAdam's look-ahead first moment when {@code nesterov}. See {@link ScaleByAdam}. */
    public static GradientTransformation scaleByAdam(double b1, double b2, double eps, double epsRoot,
                                                     boolean nesterov) {
        return new ScaleByAdam(b1, b2, eps, epsRoot, nesterov);
    }

    /** AMSGrad: {@code u = m̂/(√(vmax + epsRoot) + eps)}, {@code vmax} the running max of v̂. See {@link ScaleByAmsgrad}. */
    public static GradientTransformation scaleByAmsgrad(double b1, double b2, double eps, double epsRoot,
                                                        boolean biasCorrectionMu, boolean biasCorrectionNu) {
        return new ScaleByAmsgrad(b1, b2, eps, epsRoot, biasCorrectionMu, biasCorrectionNu);
    }

    /** AdaBelief: {@code u = m̂/(√ŝ + eps)}, {@code s} the EMA of {@code (g − m)² + epsRoot}. See {@link ScaleByBelief}. */
    public static GradientTransformation scaleByBelief(double b1, double b2, double eps, double epsRoot,
                                                       boolean nesterov) {
        return new ScaleByBelief(b1, b2, eps, epsRoot, nesterov);
    }

    /** Adamax: {@code v ← max(|g| + eps, b2·v)}; {@code u = m̂/v}. See {@link ScaleByAdamax}. */
    public static GradientTransformation scaleByAdamax(double b1, double b2, double eps) {
        return new ScaleByAdamax(b1, b2, eps);
    }

    /** RAdam: Adam rectified by {@code r(ρ_t)} once {@code ρ_t ≥ threshold}, else {@code u = m̂}. See {@link ScaleByRadam}. */
    public static GradientTransformation scaleByRadam(double b1, double b2, double eps, double epsRoot,
                                                      double threshold, boolean nesterov) {
        return new ScaleByRadam(b1, b2, eps, epsRoot, threshold, nesterov);
    }

    /** Yogi: {@code v ← v − (1 − b2)·sign(v − g²)·g²}; {@code u = m̂/(√(v̂ + epsRoot) + eps)}. See {@link ScaleByYogi}. */
    public static GradientTransformation scaleByYogi(double b1, double b2, double eps, double epsRoot,
                                                     double initialAccumulator) {
        return new ScaleByYogi(b1, b2, eps, epsRoot, initialAccumulator);
    }

    /** Adagrad: {@code S ← S + g²}; {@code u = g/√(S + eps)} (0 where S = 0). See {@link ScaleByRss}. */
    public static GradientTransformation scaleByRss(double initialAccumulator, double eps) {
        return new ScaleByRss(initialAccumulator, eps);
    }

    /** Adadelta: {@code u = √(Ex + eps)/√(Eg + eps)·g} with running means Eg of g², Ex of u². See {@link ScaleByAdadelta}. */
    public static GradientTransformation scaleByAdadelta(double rho, double eps) {
        return new ScaleByAdadelta(rho, eps);
    }

    /** Lion: {@code u = sign((1 − b1)·g + b1·m)}; {@code m ← (1 − b2)·g + b2·m}. See {@link ScaleByLion}. */
    public static GradientTransformation scaleByLion(double b1, double b2) {
        return new ScaleByLion(b1, b2);
    }

    /** Centered RMS: {@code u = g/√(ν̂ − μ̂² + eps)} (or {@code /(√(ν̂ − μ̂²) + eps)}). See {@link ScaleByStddev}. */
    public static GradientTransformation scaleByStddev(double decay, double eps, boolean epsInSqrt,
                                                       boolean biasCorrection) {
        return new ScaleByStddev(decay, eps, epsInSqrt, biasCorrection);
    }

    /** {@code u = sign(g)} (B10; {@code sign(0) = 0}). */
    public static GradientTransformation scaleBySign() {
        return (Stateless) (updates, params) -> {
            for (var t : updates.tensors()) {
                Storage u = t.storage();
                for (int i = 0; i < u.size(); i++) {
                    u.set(i, Math.signum(u.get(i)));
                }
            }
            return updates;
        };
    }

    /** {@code u = g + √(eta/t^gamma)·ξ}, {@code ξ ~ N(0, 1)} from a seeded generator (B11). See {@link AddNoise}. */
    public static GradientTransformation addNoise(double eta, double gamma, long seed) {
        return new AddNoise(eta, gamma, seed);
    }

    /** {@code u = Tn(…T2(T1(g)))}; the state is a {@link Chain.ChainState} of the element states. */
    public static GradientTransformation chain(GradientTransformation... elements) {
        return new Chain(List.of(elements));
    }

    /** {@code u = g}. */
    public static GradientTransformation identity() {
        return (Stateless) (updates, params) -> updates;
    }

    /** {@code u = α·g} (B1). */
    public static GradientTransformation scale(double alpha) {
        return (Stateless) (updates, params) -> Elementwise.scaleInPlace(updates, alpha);
    }

    /** {@code u = f(c)·g} (B3), with a {@link ScaleBySchedule.CountState counter}. */
    public static GradientTransformation scaleBySchedule(Schedule f) {
        return new ScaleBySchedule(f);
    }

    /** {@code u = −lr·g} (B2 with a constant rate; no state). */
    public static GradientTransformation scaleByLearningRate(double lr) {
        return scale(-lr);
    }

    /** {@code u = −lr(c)·g} (B2 with a schedule; the first update uses {@code lr(0)}). */
    public static GradientTransformation scaleByLearningRate(Schedule lr) {
        return scaleBySchedule(c -> -lr.at(c));
    }

    /** Momentum (B4): {@code τ ← g + μ·τ}; {@code u = τ}, or {@code g + μ·τ} with Nesterov. See {@link Trace}. */
    public static GradientTransformation trace(double decay, boolean nesterov) {
        return new Trace(decay, nesterov);
    }

    /**
     * {@code ν ← decay·ν + (1−decay)·g²}; {@code u = g/√(ν̂ + eps)} ({@code epsInSqrt}) or
     * {@code g/(√ν̂ + eps)}, {@code ν̂ = ν/(1−decay^t)} with bias correction. See {@link ScaleByRms}.
     */
    public static GradientTransformation scaleByRms(double decay, double eps, boolean epsInSqrt,
                                                    boolean biasCorrection) {
        return new ScaleByRms(decay, eps, epsInSqrt, biasCorrection);
    }

    /** {@code u = m̂/(√(v̂ + epsRoot) + eps)} with bias-corrected moments. See {@link ScaleByAdam}. */
    public static GradientTransformation scaleByAdam(double b1, double b2, double eps, double epsRoot) {
        return new ScaleByAdam(b1, b2, eps, epsRoot);
    }

    /**
     * {@code u = g + λ·p} (B6; L2 regularisation before an adaptive scaler, decoupled weight
     * decay after it). {@code λ = 0} is the identity.
     */
    public static GradientTransformation addDecayedWeights(double lambda) {
        if (lambda == 0) {
            return identity();
        }
        return (Stateless) (updates, params) -> {
            for (int k = 0; k < updates.size(); k++) {
                Storage u = updates.get(k).storage(), p = params.get(k).storage();
                for (int i = 0; i < u.size(); i++) {
                    u.set(i, u.get(i) + lambda * p.get(i));
                }
            }
            return updates;
        };
    }

    /** {@code u = clamp(g, −maxDelta, maxDelta)} element-wise. */
    public static GradientTransformation clip(double maxDelta) {
        return (Stateless) (updates, params) -> {
            for (var t : updates.tensors()) {
                Storage u = t.storage();
                for (int i = 0; i < u.size(); i++) {
                    u.set(i, Math.min(Math.max(u.get(i), -maxDelta), maxDelta));
                }
            }
            return updates;
        };
    }

    /**
     * {@code N = ‖g‖} over all tensors together; {@code u = g} if {@code N < maxNorm}, else
     * {@code u = g·maxNorm/N}.
     */
    public static GradientTransformation clipByGlobalNorm(double maxNorm) {
        return (Stateless) (updates, params) -> {
            double norm = Elementwise.globalNorm(updates);
            return norm < maxNorm ? updates : Elementwise.scaleInPlace(updates, maxNorm / norm);
        };
    }

    /**
     * Runs {@code inner} only on the parameters whose name {@code byParameterName} accepts
     * (e.g. {@code name -> name.endsWith("weight")}); the others keep {@code u = g}. See {@link Masked}.
     */
    public static GradientTransformation masked(GradientTransformation inner, Predicate<String> byParameterName) {
        return new Masked(inner, byParameterName);
    }
}
