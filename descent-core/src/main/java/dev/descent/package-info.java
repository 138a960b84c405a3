/**
 * Descent, a library for neural networks trained by gradient descent and backpropagation, in
 * plain Java (JDK only): {@link dev.descent.Descent#version()} and {@link dev.descent.DescentException},
 * the error that a user's input caused (its message names the problem and the fix). The subpackages
 * hold tensors ({@code tensor}), automatic differentiation ({@code autograd}), layers ({@code nn}),
 * losses ({@code loss}), optimizers ({@code optim}), data ({@code data}), training ({@code train}) and
 * checkpoints ({@code io}).
 */
package dev.descent;
