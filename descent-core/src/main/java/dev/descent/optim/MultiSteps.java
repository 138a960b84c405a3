package dev.descent.optim;

import dev.descent.tensor.Storage;

import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

/**
 * Gradient accumulation (optax {@code MultiSteps}): runs {@code inner} once every {@code k} calls,
 * on the mean (or sum) of the incoming updates, and returns zeros in between. Each call, with
 * {@code k = everyK(gradientStep)}:
 * <pre>
 * if shouldSkip(g): u = 0, state unchanged
 * A' = A + (g − A)/(miniStep + 1)     (mean)   or   A + g   (sum)
 * miniStep == k − 1:  u = inner(A'); A = 0; miniStep = 0; gradientStep += 1
 * otherwise:          u = 0; A = A'; miniStep += 1         (inner state unchanged)
 * </pre>
 * optax keeps A in float32 by default; this one is double. Made by {@link Transforms#multiSteps}.
 */
public final class MultiSteps implements GradientTransformation {
    private final GradientTransformation inner;
    private final LongUnaryOperator everyK;
    private final boolean useGradMean;
    private final Predicate<Params> shouldSkip;

    /** The calls since the last inner update, the inner updates so far, the inner state and the accumulator. */
    public record MultiStepsState(long miniStep, long gradientStep, OptState inner, Params accumulator)
            implements OptState {
    }

    MultiSteps(GradientTransformation inner, LongUnaryOperator everyK, boolean useGradMean,
               Predicate<Params> shouldSkip) {
        this.inner = inner;
        this.everyK = everyK;
        this.useGradMean = useGradMean;
        this.shouldSkip = shouldSkip;
    }

    /** Whether the call that produced {@code state} ran the inner transformation. */
    public static boolean hasUpdated(OptState state) {
        MultiStepsState s = (MultiStepsState) state;
        return s.miniStep() == 0 && s.gradientStep() > 0;
    }

    @Override
    public OptState init(Params params) {
        return new MultiStepsState(0, 0, inner.init(params), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        MultiStepsState s = (MultiStepsState) state;
        Elementwise.requireMatching(updates, s.accumulator(), "multiSteps");
        if (shouldSkip != null && shouldSkip.test(updates)) {
            return new Update(ApplyIfFinite.zeroInPlace(updates), s);
        }
        for (int k = 0; k < updates.size(); k++) {
            Storage a = s.accumulator().get(k).storage(), g = updates.get(k).storage();
            for (int i = 0; i < a.size(); i++) {
                a.set(i, useGradMean ? a.get(i) + (g.get(i) - a.get(i)) / (s.miniStep() + 1) : a.get(i) + g.get(i));
            }
        }
        if (s.miniStep() == everyK.applyAsLong(s.gradientStep()) - 1) {
            Update r = inner.update(s.accumulator(), s.inner(), params, context);
            Params u = updates;
            for (int k = 0; k < u.size(); k++) {
                u.get(k).copyFromInPlace(r.updates().get(k));
            }
            return new Update(u, new MultiStepsState(0, s.gradientStep() + 1, r.state(), params.zerosLike()));
        }
        return new Update(ApplyIfFinite.zeroInPlace(updates),
                new MultiStepsState(s.miniStep() + 1, s.gradientStep(), s.inner(), s.accumulator()));
    }
}
