/**
 * Optimizers in the style of optax: a {@link dev.descent.optim.GradientTransformation} is a pair
 * {@code init(params) → state} and {@code update(updates, state, params, context) → (updates, state)},
 * optimizers are {@link dev.descent.optim.Transforms#chain chains} of small transforms (scaleByAdam,
 * trace, addDecayedWeights, clipping, schedules, ...) whose state is a record, the named optimizers
 * are in {@link dev.descent.optim.Optimizers}, and {@link dev.descent.optim.Optimizer} binds one to a
 * model's parameters for {@code zeroGrad(); loss.backward(); step();}. Each transform writes out its
 * update rule.
 */
package dev.descent.optim;
