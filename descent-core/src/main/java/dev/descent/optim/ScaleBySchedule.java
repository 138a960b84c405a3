package dev.descent.optim;

/**
 * {@code u = f(c)·g} with the transformation's own counter {@code c} (0 on the first
 * update): optax's {@code scale_by_schedule}, and {@code scale_by_learning_rate} with a
 * schedule ({@code f(c) = −lr(c)}). Made by {@link Transforms#scaleBySchedule} and
 * {@link Transforms#scaleByLearningRate(Schedule)}.
 */
public final class ScaleBySchedule implements GradientTransformation {
    private final Schedule factor;

    /** The number of updates made so far. */
    public record CountState(long count) implements OptState {
    }

    ScaleBySchedule(Schedule factor) {
        this.factor = factor;
    }

    @Override
    public OptState init(Params params) {
        return new CountState(0);
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        long c = ((CountState) state).count();
        return new Update(Elementwise.scaleInPlace(updates, factor.at(c)), new CountState(c + 1));
    }
}
