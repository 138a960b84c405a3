package dev.descent.optim;

import java.util.function.ToDoubleFunction;

/**
 * What an update may need besides the gradients: the training step, the loss at the current
 * parameters ({@code value}, for Polyak step sizes) and a function that re-evaluates the loss
 * at other parameters ({@code valueFunction}, for line searches such as L-BFGS's). Transforms
 * that need none of these ignore the context.
 *
 * @param step          the number of updates applied before this one
 * @param value         the loss at the current parameters, or NaN when unknown
 * @param valueFunction the loss as a function of a full parameter set, or null when unavailable
 */
public record UpdateContext(long step, double value, ToDoubleFunction<Params> valueFunction) {

    /** A context that carries nothing. */
    public static UpdateContext none() {
        return new UpdateContext(0, Double.NaN, null);
    }

    /** A context with the step and loss value only. */
    public static UpdateContext of(long step, double value) {
        return new UpdateContext(step, value, null);
    }
}
