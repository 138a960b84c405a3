package dev.descent.optim;

import java.util.function.ToDoubleFunction;

/**
 * The loss as a function of a full parameter set, with its gradient: what line searches (L-BFGS's
 * zoom search) evaluate at trial points. Pass it as {@link UpdateContext#valueFunction()}.
 */
public interface ObjectiveFunction extends ToDoubleFunction<Params> {

    /** The loss at {@code at} (which is not modified). */
    @Override
    double applyAsDouble(Params at);

    /** The gradient at {@code at}, shaped like it (a new set the caller may overwrite). */
    Params gradient(Params at);
}
