package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

/**
 * Layer normalization, PyTorch's {@code nn.LayerNorm(normalized_shape)} over every axis of an
 * example (all but the batch axis): for each example, with μ and σ² the mean and biased
 * variance of its D elements,
 * <pre>
 *   y = γ ⊙ (x − μ)/√(σ² + ε) + β
 * </pre>
 * with parameters {@code "weight"} γ (ones) and {@code "bias"} β (zeros) of the example's
 * shape, unless not affine. The same in training and evaluation; built from recorded ops.
 */
public final class LayerNorm extends Module {
    private final Shape shape;
    private final double eps;
    private final boolean affine;

    /** Layer norm over examples of shape {@code shape}, ε = 1e-5, affine. */
    public LayerNorm(Shape shape) {
        this(shape, 1e-5, true);
    }

    public LayerNorm(Shape shape, double eps, boolean affine) {
        if (shape.size() < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs a non-empty shape and eps > 0, got " + shape + ", " + eps);
        }
        this.shape = shape;
        this.eps = eps;
        this.affine = affine;
        if (affine) {
            registerParameter("weight", Tensor.full(DType.FLOAT32, shape, 1));
            registerParameter("bias", Tensor.zeros(DType.FLOAT32, shape));
        }
    }

    /** The shape of one example, over which the statistics are taken. */
    public Shape shape() {
        return shape;
    }

    /** ε, added to the variance. */
    public double eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!x.shape().without(0).equals(shape)) {
            throw new IllegalArgumentException("LayerNorm over examples of shape " + shape + " got input " + x.shape());
        }
        Tensor rows = x.reshape(x.dim(0), -1);
        Tensor centered = rows.sub(rows.mean(1, true));
        Tensor normalized = centered.div(centered.square().mean(1, true).add(eps).sqrt()).reshape(x.dims());
        return affine ? normalized.mul(parameter("weight")).add(parameter("bias")) : normalized;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + shape + ", eps=" + eps + ")";
    }
}
