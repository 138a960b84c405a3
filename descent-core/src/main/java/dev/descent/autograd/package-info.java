/**
 * Reverse-mode automatic differentiation: the closed set of differentiable operations
 * ({@link dev.descent.autograd.Op}), the table of their derivative rules, one {@code switch} case per
 * op ({@link dev.descent.autograd.Derivatives}), the backward pass over the recorded graph in reverse
 * topological order ({@link dev.descent.autograd.Backprop}), the per-thread no-grad scope
 * ({@link dev.descent.autograd.Autograd}) and {@link dev.descent.autograd.GradCheck}, which compares
 * backpropagation with central finite differences {@code (f(x + h) − f(x − h)) / 2h} in double precision.
 */
package dev.descent.autograd;
