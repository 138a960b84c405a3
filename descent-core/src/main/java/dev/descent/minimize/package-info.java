/**
 * Optimizers on plain functions of a few variables: an {@link dev.descent.minimize.Objective}
 * {@code f: ℝⁿ → ℝ} (built-in test functions such as Rosenbrock's, or a formula parsed into an
 * {@link dev.descent.minimize.Expression}) whose gradient comes from backpropagation, and a
 * {@link dev.descent.minimize.Minimizer} that runs any optimizer on it and records the path, including
 * the lecture's plain gradient descent {@code θ := θ − lr·∇f(θ)}.
 */
package dev.descent.minimize;
