package dev.descent.optim;

/**
 * An optimizer, or one building block of one, in the optax style: a pair of functions
 * {@code init(params) → state} and {@code update(updates, state, params, context) →
 * (updates', state')}. The returned updates are already signed, so the caller applies
 * {@code p ← p + u}. Optimizers are {@link Transforms#chain chains} of small transformations,
 * e.g. {@code adam = chain(scaleByAdam(b1, b2, eps), scaleByLearningRate(lr))}.
 *
 * <p>For speed, {@code update} may overwrite the tensors of the incoming {@code updates} and
 * the tensors of the state it was given, and return them; callers pass updates they own
 * (the {@link Optimizer} passes a copy of the gradients) and use only the returned state
 * afterwards. {@code params} is never modified.
 */
public interface GradientTransformation {

    /** The initial state for parameters shaped like {@code params}. */
    OptState init(Params params);

    /** Transforms the incoming updates (at first the gradients); see the class comment. */
    Update update(Params updates, OptState state, Params params, UpdateContext context);

    /** The result of one update: new updates and new state. */
    record Update(Params updates, OptState state) {
    }
}
