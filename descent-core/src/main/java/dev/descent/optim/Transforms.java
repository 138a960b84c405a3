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
        return new ScaleByStddev(decay, eps, epsInSqrt, biasCorrection, 0);
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
        return new ScaleByRms(decay, eps, epsInSqrt, biasCorrection, 0);
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

    /**
     * Per-tensor trust ratio (B7): {@code ratio = tc·max(‖p‖, minNorm)/(max(‖g‖, minNorm) + eps)}
     * (1 when either norm is 0); {@code u = ratio·g}. See {@link ScaleByTrustRatio}.
     */
    public static GradientTransformation scaleByTrustRatio(double minNorm, double trustCoefficient, double eps) {
        return new ScaleByTrustRatio(minNorm, trustCoefficient, eps);
    }

    /** Adan's direction {@code (m̂ + (1−b2)·v̂)/(√(n̂ + epsRoot) + eps)}. See {@link ScaleByAdan}. */
    public static GradientTransformation scaleByAdan(double b1, double b2, double b3, double eps, double epsRoot) {
        return new ScaleByAdan(b1, b2, b3, eps, epsRoot);
    }

    /** NovoGrad's direction, with a per-tensor second moment and weight decay inside. See {@link ScaleByNovograd}. */
    public static GradientTransformation scaleByNovograd(double b1, double b2, double eps, double epsRoot,
                                                         double weightDecay) {
        return new ScaleByNovograd(b1, b2, eps, epsRoot, weightDecay);
    }

    /** {@code u = (alpha + beta)·g − beta·g_prev} (first update: {@code alpha·g}). See {@link ScaleByOptimisticGradient}. */
    public static GradientTransformation scaleByOptimisticGradient(double alpha, double beta) {
        return new ScaleByOptimisticGradient(alpha, beta);
    }

    /**
     * Polyak step size, global: {@code u = min((value − fMin)/(‖g‖² + eps), maxLearningRate)·g}
     * (0 when {@code ‖g‖² + eps ≤ 2.2e-16}; {@code plus}: the gap is clamped at 0). Needs
     * {@link UpdateContext#value()}. See {@link ScaleByPolyak}.
     */
    public static GradientTransformation scaleByPolyak(double fMin, double maxLearningRate, double eps, boolean plus) {
        return new ScaleByPolyak(fMin, maxLearningRate, eps, plus);
    }

    /** SM3-II with momentum as an EMA. See {@link ScaleBySm3}. */
    public static GradientTransformation scaleBySm3(double momentum) {
        return new ScaleBySm3(momentum);
    }

    /** Adafactor's factored second-moment scaling. See {@link ScaleByFactoredRms}. */
    public static GradientTransformation scaleByFactoredRms(boolean factored, double decayRate, double decayOffset,
                                                            int minDimSizeToFactor, double eps) {
        return new ScaleByFactoredRms(factored, decayRate, decayOffset, minDimSizeToFactor, eps);
    }

    /** {@code m ← (1 − β)·g + β·m}; {@code u = m/(1 − β^t)} with {@code debias}, else {@code m} (B5). See {@link Ema}. */
    public static GradientTransformation ema(double decay, boolean debias) {
        return new Ema(decay, debias);
    }

    /** Per tensor: {@code u = g / max(1, rms(g)/threshold)} (B9). */
    public static GradientTransformation clipByBlockRms(double threshold) {
        return (Stateless) (updates, params) -> {
            for (var t : updates.tensors()) {
                Storage u = t.storage();
                double rms = ScaleByTrustRatio.norm(u) / Math.sqrt(u.size());
                double divisor = Math.max(1, rms / threshold);
                for (int i = 0; i < u.size(); i++) {
                    u.set(i, u.get(i) / divisor);
                }
            }
            return updates;
        };
    }

    /** Per tensor: {@code u = g·max(rms(p), minScale)} (B8). */
    public static GradientTransformation scaleByParamBlockRms(double minScale) {
        return (Stateless) (updates, params) -> {
            for (int k = 0; k < updates.size(); k++) {
                Storage u = updates.get(k).storage(), p = params.get(k).storage();
                double scale = Math.max(ScaleByTrustRatio.norm(p) / Math.sqrt(p.size()), minScale);
                for (int i = 0; i < u.size(); i++) {
                    u.set(i, u.get(i) * scale);
                }
            }
            return updates;
        };
    }

    /** {@code u = g + λ(c)·p} (B6 with a schedule, on its own {@link ScaleBySchedule.CountState counter}). */
    public static GradientTransformation addDecayedWeights(Schedule lambda) {
        return new GradientTransformation() {
            @Override
            public OptState init(Params params) {
                return new ScaleBySchedule.CountState(0);
            }

            @Override
            public Update update(Params updates, OptState state, Params params, UpdateContext context) {
                long c = ((ScaleBySchedule.CountState) state).count();
                double l = lambda.at(c);
                for (int k = 0; k < updates.size(); k++) {
                    Storage u = updates.get(k).storage(), p = params.get(k).storage();
                    for (int i = 0; i < u.size(); i++) {
                        u.set(i, u.get(i) + l * p.get(i));
                    }
                }
                return new Update(updates, new ScaleBySchedule.CountState(c + 1));
            }
        };
    }

    /** The L-BFGS direction {@code u ≈ H⁻¹·g} (two-loop recursion). See {@link ScaleByLbfgs}. */
    public static GradientTransformation scaleByLbfgs(int memorySize, boolean scaleInitPrecond) {
        return new ScaleByLbfgs(memorySize, scaleInitPrecond);
    }

    /**
     * {@link ScaleByZoomLinesearch} with optax's defaults: no maximum step, tol 0, increase factor 2,
     * c1 = 1e-4, c2 = 0.9, c3 = 1e-6, step-size precision 1e-5; {@code keepGuess} starts from the
     * previous step ('keep', optax's default) instead of 1 ('one', what lbfgs uses).
     */
    public static GradientTransformation scaleByZoomLinesearch(int maxLinesearchSteps, boolean keepGuess) {
        return scaleByZoomLinesearch(maxLinesearchSteps, Double.NaN, 0, 2, 1e-4, 0.9, 1e-6, 1e-5, keepGuess);
    }

    /** The zoom line search with every option (NaN disables {@code maxLearningRate} and {@code approxDecRtol}). */
    public static GradientTransformation scaleByZoomLinesearch(int maxLinesearchSteps, double maxLearningRate,
                                                               double tol, double increaseFactor, double slopeRtol,
                                                               double curvRtol, double approxDecRtol,
                                                               double stepsizePrecision, boolean keepGuess) {
        return new ScaleByZoomLinesearch(maxLinesearchSteps, maxLearningRate, tol, increaseFactor, slopeRtol,
                curvRtol, approxDecRtol, stepsizePrecision, keepGuess);
    }

    /** Gradient accumulation over {@code k} calls, mean of the gradients, no skipping. See {@link MultiSteps}. */
    public static GradientTransformation multiSteps(GradientTransformation inner, int k) {
        return multiSteps(inner, c -> k, true, null);
    }

    /**
     * Gradient accumulation: {@code inner} runs on the mean ({@code useGradMean}) or sum of
     * {@code everyK(gradientStep)} incoming updates; calls {@code shouldSkip} accepts (e.g.
     * {@link #skipNotFinite()}) are ignored. See {@link MultiSteps}.
     */
    public static GradientTransformation multiSteps(GradientTransformation inner, java.util.function.LongUnaryOperator everyK,
                                                    boolean useGradMean, Predicate<Params> shouldSkip) {
        return new MultiSteps(inner, everyK, useGradMean, shouldSkip);
    }

    /** A {@link #multiSteps} skip rule (optax {@code skip_not_finite}): any NaN or infinite entry. */
    public static Predicate<Params> skipNotFinite() {
        return ApplyIfFinite::anyNotFinite;
    }

    /** A {@link #multiSteps} skip rule (optax {@code skip_large_updates}): global squared norm ≥ the limit (or NaN). */
    public static Predicate<Params> skipLargeUpdates(double maxSquaredNorm) {
        return updates -> {
            double norm = Elementwise.globalNorm(updates);
            return !(norm * norm < maxSquaredNorm);
        };
    }

    /** Lookahead around {@code fast}: sync every {@code syncPeriod} calls with step {@code alpha}. See {@link Lookahead}. */
    public static GradientTransformation lookahead(GradientTransformation fast, long syncPeriod, double alpha) {
        return new Lookahead(fast, syncPeriod, alpha, false);
    }

    /** {@link #lookahead(GradientTransformation, long, double)}, optionally re-initialising the fast state at syncs. */
    public static GradientTransformation lookahead(GradientTransformation fast, long syncPeriod, double alpha,
                                                   boolean resetState) {
        return new Lookahead(fast, syncPeriod, alpha, resetState);
    }

    /** Runs {@code inner} only on finite updates (zeros otherwise, up to {@code maxConsecutiveErrors} in a row). See {@link ApplyIfFinite}. */
    public static GradientTransformation applyIfFinite(GradientTransformation inner, long maxConsecutiveErrors) {
        return new ApplyIfFinite(inner, maxConsecutiveErrors);
    }

    /** Emits the sum of the last {@code k} incoming updates every {@code k}-th call, zeros otherwise. See {@link ApplyEvery}. */
    public static GradientTransformation applyEvery(long k) {
        return new ApplyEvery(k);
    }
}
