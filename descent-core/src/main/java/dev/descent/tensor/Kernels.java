package dev.descent.tensor;

/**
 * The numeric loops behind {@link Tensor}: a small internal interface so that faster
 * implementations can replace the plain ones without touching layers or optimizers.
 * {@link ReferenceKernels} is the plain, readable version, and it computes every
 * {@link DType#FLOAT64} tensor; {@link VectorKernels} computes {@link DType#FLOAT32} tensors
 * with SIMD and threads and is tested against the reference. All buffers are row-major;
 * reductions and softmax view their input as {@code [outer, n, inner]} and work along n.
 * Output buffers are written, never read, unless a method says otherwise.
 */
public interface Kernels {

    /** {@code out[i] = op(x[i])}. */
    void unary(UnaryOp op, double alpha, Storage x, Storage out);

    /** {@code out[i] = grad[i] · op'(x[i])}, where {@code y = op(x)} is the forward output. */
    void unaryBackward(UnaryOp op, double alpha, Storage x, Storage y, Storage grad, Storage out);

    /**
     * The dense layer's bias and ReLU in one pass, in place over {@code rows×cols}:
     * {@code y[r, c] ← max(y[r, c] + b[c], 0)}; {@code b} may be null (no bias).
     */
    void biasRelu(Storage y, Storage b, int rows, int cols);

    /**
     * The backward pass of {@link #biasRelu} in one pass: {@code gz[r, c] = g[r, c]} where
     * {@code y[r, c] > 0}, else 0, and, when {@code gb} is not null, {@code gb[c] += Σ_r gz[r, c]}.
     */
    void biasReluBackward(Storage y, Storage g, Storage gz, Storage gb, int rows, int cols);

    /** {@code out = op(a, b)} with NumPy broadcasting of both shapes to {@code outShape}. */
    void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape);

    /** {@code out[o, i] = reduce_j x[o, j, i]} for j in {@code 0..n-1}. */
    void reduce(ReduceOp op, Storage x, int outer, int n, int inner, Storage out);

    /** {@code out[o, i] = argmax_j x[o, j, i]}, the first index on ties. */
    void argmax(Storage x, int outer, int n, int inner, int[] out);

    /** Softmax {@code e^(x_j − m) / Σ_j e^(x_j − m)} along n, or its logarithm when {@code log}. */
    void softmax(Storage x, int outer, int n, int inner, boolean log, Storage out);

    /**
     * {@code C = op(A)·op(B)} for one {@code m×k} by {@code k×n} product, where {@code op}
     * transposes when asked (A stored {@code k×m}, B stored {@code n×k}). Matrices start at
     * the given offsets of their buffers; C ({@code m×n}) is overwritten.
     */
    void matmul(Storage a, int aOffset, boolean transA, Storage b, int bOffset, boolean transB,
                Storage c, int cOffset, int m, int k, int n);

    /**
     * Strided copy: for every index {@code i} in {@code dims},
     * {@code dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides]}.
     * Permute, slice, concat, broadcast-expand and row selection are all this copy.
     */
    void copy(Storage src, int srcOffset, int[] srcStrides, Storage dst, int dstOffset, int[] dstStrides, int[] dims);

    /** In place: {@code x[i] ← α·x[i]}. */
    void scaleInPlace(Storage x, double alpha);

    /**
     * The fast form of Adam's moments and direction for float storage, in one pass, in place: the
     * rule of {@code dev.descent.optim.ScaleByAdam} (which is where it is written and what this is
     * tested against), {@code m ← b1·m + (1 − b1)·g}, {@code v ← b2·v + (1 − b2)·g²},
     * {@code g ← (m / c1) / (√(v / c2 + epsRoot) + eps)}, where {@code c1 = 1 − b1^t} and
     * {@code c2 = 1 − b2^t} are the bias corrections. Returns false, changing nothing, where these
     * kernels have no fast form (the plain kernels, double storage); the caller then applies the rule.
     */
    boolean fusedAdam(Storage g, Storage m, Storage v, double b1, double b2, double c1, double c2, double eps,
                      double epsRoot);

    /** A short description of the float kernels in use ("vector (256-bit, 8 floats)" or "scalar"). */
    static String float32Name() {
        return KernelRegistry.float32Name();
    }

    /** The kernels that compute tensors of the given element type. */
    static Kernels of(DType dtype) {
        return dtype == DType.FLOAT32 ? KernelRegistry.FLOAT32 : KernelRegistry.REFERENCE;
    }
}
