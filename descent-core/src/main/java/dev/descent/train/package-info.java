/**
 * Training: {@link dev.descent.train.Trainer}, the fixed loop (forward, loss, backward, update for
 * every mini-batch, then validation) to which {@link dev.descent.train.Callback}s add early stopping,
 * progress and history; the naive baseline a model must beat; evaluation, classification and
 * regression reports and the confusion matrix; the diagnosis of a run (diverging, underfitting,
 * overfitting, dead ReLU units); the learning-rate range test; and a trained model with the
 * normalization and task needed to use it on raw inputs.
 */
package dev.descent.train;
