/**
 * Checking derivatives: {@link dev.descent.autograd.GradCheck} compares the gradients that
 * backpropagation computes ({@link dev.descent.tensor.Tensor#backward()}) with central finite
 * differences {@code (f(x + h) − f(x − h)) / 2h} in double precision. The tape and the table of
 * derivative rules live with the tensor in {@link dev.descent.tensor}, so that this package only
 * reads it and the two never depend on each other both ways.
 */
package dev.descent.autograd;
