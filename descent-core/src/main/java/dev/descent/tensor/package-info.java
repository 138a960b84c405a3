/**
 * N-dimensional arrays: {@link dev.descent.tensor.Tensor} (float32 or float64, row-major, NumPy
 * broadcasting, matrix products, reductions, reshapes; it records the operations made with it so
 * that {@code backward()} can compute gradients), {@link dev.descent.tensor.Shape}, and the numeric
 * loops behind them: plain reference kernels, SIMD kernels on the Vector API with a worker pool
 * ({@link dev.descent.tensor.Parallel}), the forward rules of convolution, pooling and batch
 * normalization, and the {@link dev.descent.tensor.MatmulBackend} service that an optional native
 * module (descent-openblas) provides.
 */
package dev.descent.tensor;
