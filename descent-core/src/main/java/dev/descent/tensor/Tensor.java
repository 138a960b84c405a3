package dev.descent.tensor;

import dev.descent.DescentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An N-dimensional array of floats (row-major, contiguous) that records the operations made
 * with it, so that {@link #backward()} can compute gradients by the chain rule.
 *
 * <p>Operations return new tensors and never modify their inputs, except the methods whose
 * names end in {@code InPlace}, which overwrite this tensor and are not recorded (use them
 * on parameters and gradients, outside the graph). {@link #reshape} and {@link #detach}
 * share the elements of this tensor; everything else copies.
 *
 * <p>Binary operations broadcast as NumPy does. Both operands must have the same
 * {@link DType}; {@link DType#FLOAT64} tensors run the plain reference kernels and serve
 * gradient checks.
 */
public final class Tensor {
    private final Shape shape;
    private final Storage storage;
    private boolean requiresGrad;
    private Tensor grad;
    /** The gradient buffer that {@link #zeroGrad()} set aside for the next backward pass to reuse. */
    private Tensor spareGrad;
    private Op gradFn;

    private Tensor(Shape shape, Storage storage) {
        if (shape.size() != storage.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " elements, the buffer has " + storage.size());
        }
        this.shape = shape;
        this.storage = storage;
    }

    // ================================================================ creation

    /** A tensor over an existing buffer, sharing it. */
    public static Tensor wrap(Storage storage, Shape shape) {
        return new Tensor(shape, storage);
    }

    /** A float tensor over {@code data}, sharing the array. */
    public static Tensor wrap(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), new FloatStorage(data));
    }

    /** A float tensor holding a copy of {@code data} with the given dimensions. */
    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), new FloatStorage(data.clone()));
    }

    /**
     * A float tensor {@code [rows, columns]} holding a copy of {@code rows}, which must all have one length.
     *
     * @throws DescentException when the rows differ in length
     */
    public static Tensor of(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[Math.multiplyExact(rows.length, columns)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != columns) {
                throw new DescentException("row " + i + " has " + rows[i].length + " values, row 0 has " + columns
                        + "; give rows of one length");
            }
            System.arraycopy(rows[i], 0, data, i * columns, columns);
        }
        return new Tensor(Shape.of(rows.length, columns), new FloatStorage(data));
    }

    /** A {@link DType#FLOAT64} tensor holding a copy of {@code data}. */
    public static Tensor of(double[] data, int... dims) {
        return new Tensor(Shape.of(dims), new DoubleStorage(data.clone()));
    }

    /** A zero-filled tensor. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(shape, Storage.allocate(dtype, shape.size()));
    }

    /**
     * A tensor whose contents are unspecified: inside an active {@link Workspace} it may hold a
     * recycled buffer's old values (no zero-fill), outside one it is zero. For results that a
     * kernel writes in full, such as the output of a matrix product.
     */
    public static Tensor forOverwrite(DType dtype, Shape shape) {
        return new Tensor(shape, Storage.allocateForOverwrite(dtype, shape.size()));
    }

    /** A zero-filled float tensor. */
    public static Tensor zeros(int... dims) {
        return zeros(DType.FLOAT32, Shape.of(dims));
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(DType dtype, Shape shape, double value) {
        Tensor t = zeros(dtype, shape);
        t.fillInPlace(value);
        return t;
    }

    /** A float tensor of ones. */
    public static Tensor ones(int... dims) {
        return full(DType.FLOAT32, Shape.of(dims), 1);
    }

    /** A float scalar (shape {@code []}). */
    public static Tensor scalar(double value) {
        return scalar(value, DType.FLOAT32);
    }

    /** A scalar of the given type. */
    public static Tensor scalar(double value, DType dtype) {
        return full(dtype, Shape.scalar(), value);
    }

    /** {@code [0, 1, ..., n-1]} as floats. */
    public static Tensor arange(int n) {
        Tensor t = zeros(n);
        for (int i = 0; i < n; i++) {
            t.storage.set(i, i);
        }
        return t;
    }

    /** Independent draws from the uniform distribution on {@code [low, high)}. */
    public static Tensor uniform(RandomGenerator rng, DType dtype, Shape shape, double low, double high) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.storage.set(i, low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    /** Independent draws from the normal distribution with the given mean and standard deviation. */
    public static Tensor normal(RandomGenerator rng, DType dtype, Shape shape, double mean, double std) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.storage.set(i, mean + std * rng.nextGaussian());
        }
        return t;
    }

    /** Float draws from the uniform distribution on {@code [0, 1)}. */
    public static Tensor rand(RandomGenerator rng, int... dims) {
        return uniform(rng, DType.FLOAT32, Shape.of(dims), 0, 1);
    }

    /** Float draws from the standard normal distribution. */
    public static Tensor randn(RandomGenerator rng, int... dims) {
        return normal(rng, DType.FLOAT32, Shape.of(dims), 0, 1);
    }

    // ================================================================ inspection

    public Shape shape() {
        return shape;
    }

    public int[] dims() {
        return shape.dims();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return shape.size();
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** The element buffer (shared): kernels, optimizers and I/O read and write it directly. */
    public Storage storage() {
        return storage;
    }

    /** The element at a full index. */
    public double get(int... index) {
        return storage.get(offset(index));
    }

    /** Sets the element at a full index; not recorded. */
    public void set(double value, int... index) {
        storage.set(offset(index), value);
    }

    private int offset(int[] index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " does not fit shape " + shape);
        }
        int[] strides = shape.strides();
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            }
            off += index[i] * strides[i];
        }
        return off;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, this one has shape " + shape);
        }
        return storage.get(0);
    }

    public float[] toFloatArray() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) storage.get(i);
        }
        return out;
    }

    public double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = storage.get(i);
        }
        return out;
    }

    /** The elements rounded to the nearest integers (for index tensors such as {@link #argmax}). */
    public int[] toIntArray() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.round(storage.get(i));
        }
        return out;
    }

    private Kernels kernels() {
        return Kernels.of(dtype());
    }

    private Tensor empty(Shape s) {
        return zeros(dtype(), s);
    }

    // ================================================================ autograd

    /** Whether a gradient flows to this tensor: a leaf asked for one, or the result of a recorded op. */
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** Marks this leaf as needing a gradient (parameters do); returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("cannot stop gradients of a computed tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The op that computed this tensor while recording, or null for a leaf. */
    public Op gradFn() {
        return gradFn;
    }

    /** The accumulated gradient of the last {@link #backward()} calls, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor gradient) {
        if (gradient != null && !gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("gradient shape " + gradient.shape + " differs from tensor shape " + shape);
        }
        this.grad = gradient;
    }

    /**
     * Clears the gradient, so the next backward pass starts from zero. The cleared gradient's
     * buffer is kept and refilled by that pass: copy a gradient you need after {@code zeroGrad()}.
     */
    public void zeroGrad() {
        if (grad != null) {
            spareGrad = grad;
        }
        this.grad = null;
    }

    /**
     * Adds {@code g} to the gradient (backprop's rule for a leaf): into the current gradient,
     * else into the buffer kept by {@link #zeroGrad()} when it has {@code g}'s shape, else into a
     * new copy. Gradients never come from an active {@link Workspace}: they outlive a step.
     */
    public void accumulateGrad(Tensor g) {
        if (grad != null) {
            grad.addInPlace(g);
        } else if (spareGrad != null && spareGrad.shape.equals(g.shape) && spareGrad.dtype() == g.dtype()) {
            grad = spareGrad.copyFromInPlace(g);
            spareGrad = null;
        } else {
            setGrad(g.copy());
        }
    }

    /**
     * Backpropagation from this one-element tensor: adds {@code ∂this/∂p} to the gradient of
     * every leaf {@code p} that requires one. Gradients accumulate across calls until zeroed.
     */
    public void backward() {
        if (size() != 1) {
            throw new IllegalStateException("backward() needs a one-element tensor (a loss); this one has shape "
                    + shape + ", pass a seed gradient with backward(seed)");
        }
        backward(full(dtype(), shape, 1));
    }

    /** Backpropagation with an explicit seed {@code ∂L/∂this} of this tensor's shape. */
    public void backward(Tensor seed) {
        Backprop.run(this, seed);
    }

    /** The same elements with no history and no gradient (shares the buffer). */
    public Tensor detach() {
        return new Tensor(shape, storage);
    }

    /** A detached copy (never from a {@link Workspace}). */
    public Tensor copy() {
        return new Tensor(shape, storage.copy());
    }

    /** A detached copy with the given element type (this tensor itself when it already has it). */
    public Tensor to(DType target) {
        if (target == dtype()) {
            return this;
        }
        Tensor t = zeros(target, shape);
        for (int i = 0; i < size(); i++) {
            t.storage.set(i, storage.get(i));
        }
        return t;
    }

    /** Marks this tensor as the output of {@code op} (for the fused ops of this package). */
    Tensor record(Op op) {
        this.gradFn = op;
        return this;
    }

    // ================================================================ in place (not recorded)

    /** Sets every element to {@code value}. */
    public Tensor fillInPlace(double value) {
        if (storage instanceof FloatStorage f) {
            Arrays.fill(f.data(), (float) value);
        } else {
            Arrays.fill(((DoubleStorage) storage).data(), value);
        }
        return this;
    }

    /** Copies the elements of {@code source} (same size) into this tensor. */
    public Tensor copyFromInPlace(Tensor source) {
        requireSameSize(source);
        kernels().copy(source.storage, 0, new int[] {1}, storage, 0, new int[] {1}, new int[] {size()});
        return this;
    }

    /** {@code this += source} element-wise (same shape). */
    public Tensor addInPlace(Tensor source) {
        requireSameSize(source);
        kernels().binary(BinaryOp.ADD, storage, shape, source.storage, source.shape, storage, shape);
        return this;
    }

    /** {@code this ← α·this} element-wise. */
    public Tensor scaleInPlace(double alpha) {
        kernels().scaleInPlace(storage, alpha);
        return this;
    }

    private void requireSameSize(Tensor other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("shapes " + shape + " and " + other.shape + " differ in size");
        }
    }

    // ================================================================ element-wise

    private Tensor binary(BinaryOp op, Tensor other) {
        if (other.dtype() != dtype()) {
            throw new IllegalArgumentException("dtype mismatch: " + dtype() + " and " + other.dtype()
                    + "; convert one with to(DType)");
        }
        Shape out = Shape.broadcast(shape, other.shape);
        Tensor result = empty(out);
        kernels().binary(op, storage, shape, other.storage, other.shape, result.storage, out);
        if (!op.isComparison() && Autograd.shouldRecord(this, other)) {
            result.record(new Op.Binary(op, this, other));
        }
        return result;
    }

    private Tensor constant(double value) {
        return scalar(value, dtype());
    }

    public Tensor add(Tensor other) { return binary(BinaryOp.ADD, other); }

    public Tensor add(double value) { return binary(BinaryOp.ADD, constant(value)); }

    public Tensor sub(Tensor other) { return binary(BinaryOp.SUB, other); }

    public Tensor sub(double value) { return binary(BinaryOp.SUB, constant(value)); }

    public Tensor mul(Tensor other) { return binary(BinaryOp.MUL, other); }

    public Tensor mul(double value) { return binary(BinaryOp.MUL, constant(value)); }

    public Tensor div(Tensor other) { return binary(BinaryOp.DIV, other); }

    public Tensor div(double value) { return binary(BinaryOp.DIV, constant(value)); }

    /** Element-wise {@code max(this, other)}. */
    public Tensor maximum(Tensor other) { return binary(BinaryOp.MAXIMUM, other); }

    /** Element-wise {@code min(this, other)}. */
    public Tensor minimum(Tensor other) { return binary(BinaryOp.MINIMUM, other); }

    /** {@code min(max(this, low), high)} element-wise. */
    public Tensor clamp(double low, double high) {
        return maximum(constant(low)).minimum(constant(high));
    }

    /** 1 where {@code this > other}, else 0; no gradient. */
    public Tensor gt(Tensor other) { return binary(BinaryOp.GREATER, other); }

    public Tensor gt(double value) { return binary(BinaryOp.GREATER, constant(value)); }

    public Tensor ge(Tensor other) { return binary(BinaryOp.GREATER_EQUAL, other); }

    public Tensor ge(double value) { return binary(BinaryOp.GREATER_EQUAL, constant(value)); }

    public Tensor lt(double value) { return binary(BinaryOp.LESS, constant(value)); }

    public Tensor le(Tensor other) { return binary(BinaryOp.LESS_EQUAL, other); }

    public Tensor le(double value) { return binary(BinaryOp.LESS_EQUAL, constant(value)); }

    /** 1 where the elements are equal, else 0; no gradient. */
    public Tensor eq(Tensor other) { return binary(BinaryOp.EQUAL, other); }

    /** {@code f(this)} element-wise for a function of the {@link UnaryOp} table. */
    public Tensor apply(UnaryOp function, double alpha) {
        Tensor y = forOverwrite(dtype(), shape); // the kernel writes every element
        kernels().unary(function, alpha, storage, y.storage);
        if (Autograd.shouldRecord(this)) {
            y.record(new Op.Unary(function, alpha, this, y));
        }
        return y;
    }

    public Tensor neg() { return apply(UnaryOp.NEG, 0); }

    public Tensor exp() { return apply(UnaryOp.EXP, 0); }

    public Tensor log() { return apply(UnaryOp.LOG, 0); }

    public Tensor sqrt() { return apply(UnaryOp.SQRT, 0); }

    public Tensor abs() { return apply(UnaryOp.ABS, 0); }

    public Tensor pow(double exponent) { return apply(UnaryOp.POW, exponent); }

    public Tensor square() { return apply(UnaryOp.POW, 2); }

    public Tensor relu() { return apply(UnaryOp.RELU, 0); }

    public Tensor leakyRelu(double slope) { return apply(UnaryOp.LEAKY_RELU, slope); }

    public Tensor elu(double alpha) { return apply(UnaryOp.ELU, alpha); }

    public Tensor gelu() { return apply(UnaryOp.GELU, 0); }

    public Tensor silu() { return apply(UnaryOp.SILU, 0); }

    public Tensor sigmoid() { return apply(UnaryOp.SIGMOID, 0); }

    public Tensor tanh() { return apply(UnaryOp.TANH, 0); }

    public Tensor softplus() { return apply(UnaryOp.SOFTPLUS, 0); }

    /**
     * {@code condition ≠ 0 ? a : b} element-wise, all three broadcast together. The condition
     * carries no gradient.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Shape out = Shape.broadcast(Shape.broadcast(condition.shape, a.shape), b.shape);
        Tensor c = condition.expandCopy(out), x = a.expandCopy(out), y = b.expandCopy(out);
        Tensor result = a.empty(out);
        for (int i = 0; i < out.size(); i++) {
            result.storage.set(i, c.storage.get(i) != 0 ? x.storage.get(i) : y.storage.get(i));
        }
        if (Autograd.shouldRecord(a, b)) {
            result.record(new Op.Where(condition, a, b));
        }
        return result;
    }

    // ================================================================ products

    /**
     * Matrix product over the last two axes: {@code [..., m, k]·[..., k, n] → [..., m, n]}, the
     * leading (batch) axes broadcast. Both operands need rank 2 or more.
     */
    public Tensor matmul(Tensor other) {
        if (rank() < 2 || other.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank ≥ 2 operands, got " + shape + " and " + other.shape);
        }
        int m = dim(-2), k = dim(-1), n = other.dim(-1);
        if (other.dim(-2) != k) {
            throw new IllegalArgumentException("matmul shape mismatch: " + shape + " · " + other.shape
                    + " (inner dimensions " + k + " and " + other.dim(-2) + ")");
        }
        Shape aBatch = Shape.of(Arrays.copyOf(dims(), rank() - 2));
        Shape bBatch = Shape.of(Arrays.copyOf(other.dims(), other.rank() - 2));
        Shape batch = Shape.broadcast(aBatch, bBatch);
        int[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        Tensor out = empty(Shape.of(outDims));
        int[] aIdx = broadcastIndex(aBatch, batch), bIdx = broadcastIndex(bBatch, batch);
        for (int t = 0; t < batch.size(); t++) {
            kernels().matmul(storage, aIdx[t] * m * k, false, other.storage, bIdx[t] * k * n, false,
                    out.storage, t * m * n, m, k, n);
        }
        if (Autograd.shouldRecord(this, other)) {
            out.record(new Op.MatMul(this, other));
        }
        return out;
    }

    /** For each flat index of {@code target}, the flat index of {@code source} it reads under broadcasting. */
    private static int[] broadcastIndex(Shape source, Shape target) {
        Odometer at = new Odometer(target.dims(), 0, source.broadcastStrides(target), 0, new int[target.rank()]);
        int[] out = new int[target.size()];
        for (int t = 0; t < out.length; t++, at.next()) {
            out[t] = at.a();
        }
        return out;
    }

    /**
     * The dense layer {@code y = x·wᵀ + b} in one op: {@code x} is {@code [..., in]}, {@code w}
     * is {@code [out, in]} (PyTorch's layout) and {@code b}, which may be null, is {@code [out]}.
     */
    public Tensor linear(Tensor w, Tensor b) {
        return linear(w, b, false);
    }

    /**
     * The dense layer followed by ReLU, {@code y = max(x·wᵀ + b, 0)}, with the bias and the
     * ReLU applied in one pass over the output and differentiated in one pass (the fused
     * kernels of {@link Kernels#biasRelu}); the same values as {@code linear(w, b).relu()}.
     */
    public Tensor linearRelu(Tensor w, Tensor b) {
        return linear(w, b, true);
    }

    private Tensor linear(Tensor w, Tensor b, boolean relu) {
        int in = dim(-1), outF = w.dim(0);
        if (w.rank() != 2 || w.dim(1) != in) {
            throw new IllegalArgumentException("linear: input has " + in + " features but the weight has shape "
                    + w.shape + " (want [out, " + in + "])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != outF)) {
            throw new IllegalArgumentException("linear: bias shape " + b.shape + " should be [" + outF + "]");
        }
        int rows = size() / Math.max(1, in);
        Tensor out = forOverwrite(dtype(), shape.with(-1, outF));
        kernels().matmul(storage, 0, false, w.storage, 0, true, out.storage, 0, rows, in, outF);
        if (relu) {
            kernels().biasRelu(out.storage, b == null ? null : b.storage, rows, outF);
        } else if (b != null) {
            kernels().binary(BinaryOp.ADD, out.storage, out.shape, b.storage, b.shape, out.storage, out.shape);
        }
        if (Autograd.shouldRecord(this, w, b)) {
            out.record(relu ? new Op.LinearRelu(this, w, b, out) : new Op.Linear(this, w, b));
        }
        return out;
    }

    // ================================================================ reductions

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return reshape(size()).sum(0, false);
    }

    /** Sum along {@code axis}, keeping it as size 1 when {@code keepDim}. */
    public Tensor sum(int axis, boolean keepDim) {
        int a = shape.axis(axis);
        Tensor out = reduce(ReduceOp.SUM, a, keepDim);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Sum(this, a, keepDim));
        }
        return out;
    }

    /** Mean of all elements, a scalar. */
    public Tensor mean() {
        return sum().div(Math.max(1, size()));
    }

    /** Mean along {@code axis}. */
    public Tensor mean(int axis, boolean keepDim) {
        return sum(axis, keepDim).div(shape.dim(axis));
    }

    /** Maximum along {@code axis}; the gradient is shared equally among tied maxima. */
    public Tensor max(int axis, boolean keepDim) {
        int a = shape.axis(axis);
        Tensor out = reduce(ReduceOp.MAX, a, keepDim);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Max(this, a, keepDim, out));
        }
        return out;
    }

    /** Maximum of all elements, a scalar. */
    public Tensor max() {
        return reshape(size()).max(0, false);
    }

    /** {@code ln Σ e^x} along {@code axis}, stable for large values. */
    public Tensor logSumExp(int axis, boolean keepDim) {
        int a = shape.axis(axis);
        Tensor out = reduce(ReduceOp.LOG_SUM_EXP, a, keepDim);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.LogSumExp(this, a, keepDim, out));
        }
        return out;
    }

    private Tensor reduce(ReduceOp op, int axis, boolean keepDim) {
        Shape outShape = keepDim ? shape.with(axis, 1) : shape.without(axis);
        Tensor out = empty(outShape);
        kernels().reduce(op, storage, shape.outer(axis), shape.dim(axis), shape.inner(axis), out.storage);
        return out;
    }

    /** Index of the maximum along {@code axis} (first on ties), as a tensor of whole numbers; no gradient. */
    public Tensor argmax(int axis) {
        int a = shape.axis(axis);
        int[] idx = new int[shape.outer(a) * shape.inner(a)];
        kernels().argmax(storage, shape.outer(a), shape.dim(a), shape.inner(a), idx);
        Tensor out = empty(shape.without(a));
        for (int i = 0; i < idx.length; i++) {
            out.storage.set(i, idx[i]);
        }
        return out;
    }

    /** Softmax {@code e^(x_j) / Σ_k e^(x_k)} along {@code axis}. */
    public Tensor softmax(int axis) {
        return softmax(axis, false);
    }

    /** Log-softmax {@code x_j − ln Σ_k e^(x_k)} along {@code axis}. */
    public Tensor logSoftmax(int axis) {
        return softmax(axis, true);
    }

    private Tensor softmax(int axis, boolean log) {
        int a = shape.axis(axis);
        Tensor y = empty(shape);
        kernels().softmax(storage, shape.outer(a), shape.dim(a), shape.inner(a), log, y.storage);
        if (Autograd.shouldRecord(this)) {
            y.record(new Op.Softmax(this, a, log, y));
        }
        return y;
    }

    /**
     * Mean softmax cross-entropy of these logits {@code [N, C]} against class indices:
     * {@code (1/N) Σ_i (ln Σ_c e^(z_ic) − z_i,label_i)}, a scalar, in one fused op.
     */
    public Tensor softmaxCrossEntropy(int[] labels) {
        requireLogits(labels.length);
        int c = dim(1);
        for (int label : labels) {
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException("class index " + label + " out of range for " + c + " classes");
            }
        }
        return crossEntropy(labels, null);
    }

    /**
     * Mean softmax cross-entropy against target distributions {@code t} (one-hot or soft rows):
     * {@code (1/N) Σ_i Σ_c t_ic (ln Σ_k e^(z_ik) − z_ic)}.
     */
    public Tensor softmaxCrossEntropy(Tensor targets) {
        requireLogits(targets.rank() == 2 ? targets.dim(0) : -1);
        if (!targets.shape.equals(shape)) {
            throw new IllegalArgumentException("targets shape " + targets.shape + " differs from logits shape " + shape);
        }
        return crossEntropy(null, targets.to(dtype()));
    }

    private void requireLogits(int rows) {
        if (rank() != 2 || dim(0) != rows) {
            throw new IllegalArgumentException("cross-entropy wants logits [N, C] and N targets; got logits "
                    + shape + " and " + rows + " targets");
        }
    }

    private Tensor crossEntropy(int[] labels, Tensor targets) {
        int n = dim(0), c = dim(1);
        Tensor logProbs = empty(shape);
        kernels().softmax(storage, n, c, 1, true, logProbs.storage);
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (labels != null) {
                total -= logProbs.storage.get(i * c + labels[i]);
            } else {
                for (int j = 0; j < c; j++) {
                    double t = targets.storage.get(i * c + j);
                    if (t != 0) {
                        total -= t * logProbs.storage.get(i * c + j);
                    }
                }
            }
        }
        Tensor loss = scalar(total / Math.max(1, n), dtype());
        if (Autograd.shouldRecord(this)) {
            loss.record(new Op.SoftmaxCrossEntropy(this, labels, targets, logProbs.exp()));
        }
        return loss;
    }

    // ================================================================ shape

    /** Same elements, new dimensions (one may be -1 and is inferred); shares the buffer. */
    public Tensor reshape(int... newDims) {
        int[] d = newDims.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension may be -1 in " + Arrays.toString(newDims));
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shape + " to " + Arrays.toString(newDims));
            }
            d[infer] = size() / known;
        }
        Shape target = Shape.of(d);
        if (target.size() != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + size() + " elements) to " + target);
        }
        Tensor out = new Tensor(target, storage);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Reshape(this));
        }
        return out;
    }

    /** Keeps axis 0 and merges the rest: {@code [N, ...] → [N, prod(...)]}. */
    public Tensor flatten() {
        return rank() == 0 ? reshape(1, 1) : reshape(dim(0), -1);
    }

    /** Reorders the axes: output axis i is input axis {@code perm[i]}. Copies. */
    public Tensor permute(int... perm) {
        if (perm.length != rank()) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(perm) + " does not fit shape " + shape);
        }
        int[] p = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        int[] strides = shape.strides(), outDims = new int[perm.length], srcStrides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            p[i] = shape.axis(perm[i]);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permutation " + Arrays.toString(perm) + " repeats an axis");
            }
            seen[p[i]] = true;
            outDims[i] = shape.dim(p[i]);
            srcStrides[i] = strides[p[i]];
        }
        Tensor out = empty(Shape.of(outDims));
        kernels().copy(storage, 0, srcStrides, out.storage, 0, out.shape.strides(), outDims);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Permute(this, p));
        }
        return out;
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int a = shape.axis(axis0), b = shape.axis(axis1);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** A copy broadcast to {@code target} (NumPy {@code broadcast_to}). */
    public Tensor expand(Shape target) {
        if (!Shape.broadcast(shape, target).equals(target)) {
            throw new IllegalArgumentException("cannot expand " + shape + " to " + target);
        }
        Tensor out = expandCopy(target);
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Expand(this));
        }
        return out;
    }

    private Tensor expandCopy(Shape target) {
        if (target.equals(shape)) {
            return this;
        }
        Tensor out = empty(target);
        kernels().copy(storage, 0, shape.broadcastStrides(target), out.storage, 0, target.strides(), target.dims());
        return out;
    }

    /**
     * Sums this tensor down to {@code target}, a shape it was broadcast from: the reverse of
     * broadcasting, used by the derivative rules.
     */
    public Tensor sumTo(Shape target) {
        if (shape.equals(target)) {
            return this;
        }
        Tensor t = this;
        while (t.rank() > target.rank()) {
            t = t.sum(0, false);
        }
        for (int axis = 0; axis < target.rank(); axis++) {
            if (target.dim(axis) == 1 && t.dim(axis) != 1) {
                t = t.sum(axis, true);
            }
        }
        if (!t.shape.equals(target)) {
            throw new IllegalArgumentException("cannot sum " + shape + " down to " + target);
        }
        return t;
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. Copies. */
    public Tensor slice(int axis, int start, int end) {
        int a = shape.axis(axis);
        if (start < 0 || end > shape.dim(a) || start > end) {
            throw new IllegalArgumentException("slice " + start + ":" + end + " out of range for axis " + axis
                    + " of shape " + shape);
        }
        Tensor out = empty(shape.with(a, end - start));
        kernels().copy(storage, start * shape.strides()[a], shape.strides(), out.storage, 0,
                out.shape.strides(), out.shape.dims());
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Slice(this, a, start));
        }
        return out;
    }

    /** Joins tensors along {@code axis}; all other dimensions must match. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int a = first.shape.axis(axis), total = 0;
        for (Tensor p : parts) {
            if (p.rank() != first.rank() || !p.shape.with(a, 1).equals(first.shape.with(a, 1)) || p.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat along axis " + axis + ": shape " + p.shape
                        + " does not match " + first.shape);
            }
            total += p.dim(a);
        }
        Tensor out = first.empty(first.shape.with(a, total));
        int[] outStrides = out.shape.strides();
        int at = 0;
        for (Tensor p : parts) {
            first.kernels().copy(p.storage, 0, p.shape.strides(), out.storage, at * outStrides[a], outStrides, p.dims());
            at += p.dim(a);
        }
        if (Autograd.shouldRecord(parts.toArray(Tensor[]::new))) {
            out.record(new Op.Concat(List.copyOf(parts), a));
        }
        return out;
    }

    /** Joins tensors along {@code axis}. */
    public static Tensor concat(int axis, Tensor... parts) {
        return concat(axis, Arrays.asList(parts));
    }

    /** The slices {@code index[0], index[1], ...} along {@code axis}, in that order (repeats allowed). */
    public Tensor indexSelect(int axis, int... index) {
        int a = shape.axis(axis), len = shape.dim(a);
        for (int i : index) {
            if (i < 0 || i >= len) {
                throw new IndexOutOfBoundsException("index " + i + " out of range for axis " + axis + " of shape " + shape);
            }
        }
        Tensor out = empty(shape.with(a, index.length));
        int[] srcStrides = shape.strides(), outStrides = out.shape.strides(), slab = shape.with(a, 1).dims();
        for (int j = 0; j < index.length; j++) {
            kernels().copy(storage, index[j] * srcStrides[a], srcStrides, out.storage, j * outStrides[a], outStrides, slab);
        }
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.IndexSelect(this, a, index.clone()));
        }
        return out;
    }

    /**
     * torch.gather: {@code out[o, j, i] = this[o, index[o, j, i], i]} viewing both as
     * {@code [outer, axis, inner]}; {@code index} is row-major with the shape of this tensor
     * except along {@code axis}, where it has {@code index.length / (outer·inner)} entries.
     */
    public Tensor gather(int axis, int[] index) {
        int a = shape.axis(axis), outer = shape.outer(a), inner = shape.inner(a), len = shape.dim(a);
        if (outer * inner == 0 || index.length % (outer * inner) != 0) {
            throw new IllegalArgumentException("gather: " + index.length + " indices do not fit shape " + shape
                    + " along axis " + axis);
        }
        int k = index.length / (outer * inner);
        Tensor out = empty(shape.with(a, k));
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < inner; i++) {
                    int at = (o * k + j) * inner + i, src = index[at];
                    if (src < 0 || src >= len) {
                        throw new IndexOutOfBoundsException("gather index " + src + " out of range for axis size " + len);
                    }
                    out.storage.set(at, storage.get((o * len + src) * inner + i));
                }
            }
        }
        if (Autograd.shouldRecord(this)) {
            out.record(new Op.Gather(this, a, index.clone()));
        }
        return out;
    }

    // ================================================================ printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype());
        if (size() <= 64) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                values.add(String.format("%.5g", storage.get(i)));
            }
            sb.append(' ').append(values);
        }
        return sb.toString();
    }
}
