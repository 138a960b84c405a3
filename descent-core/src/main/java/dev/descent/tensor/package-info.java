/**
 * N-dimensional arrays and their derivatives, side by side: {@link dev.descent.tensor.Tensor}
 * (float32 or float64, row-major, NumPy broadcasting, matrix products, reductions, reshapes) records
 * each operation made with it as one of the closed set of differentiable operations
 * ({@link dev.descent.tensor.Op}); {@link dev.descent.tensor.Derivatives} holds the derivative rule
 * of every one of them, one {@code switch} case per op, and {@link dev.descent.tensor.Backprop}
 * applies them in reverse topological order when {@code backward()} is called;
 * {@link dev.descent.tensor.Autograd} turns recording off for a scope. Below them are the numeric
 * loops: plain reference kernels, SIMD kernels on the Vector API with a worker pool
 * ({@link dev.descent.tensor.Parallel}), the forward and backward kernels of convolution, pooling,
 * batch normalization and recurrence, and the {@link dev.descent.tensor.MatmulBackend} service that
 * an optional native module (descent-openblas) provides.
 */
package dev.descent.tensor;
