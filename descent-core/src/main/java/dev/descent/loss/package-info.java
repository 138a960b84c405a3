/**
 * Training objectives: {@link dev.descent.loss.Loss}, the mean loss of a batch as a scalar tensor
 * to call {@code backward()} on (MSE, MAE, Huber, binary cross-entropy from logits, softmax
 * cross-entropy, NLL, KL divergence, written in stable log-sum-exp forms), and
 * {@link dev.descent.loss.Regularization}, the weight penalty {@code λ₁·Σ|w| + λ₂·Σ w²}.
 */
package dev.descent.loss;
