package dev.descent.nn.init;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Creates the initial value of a parameter of a given shape. Fans are computed as in
 * PyTorch: for a weight {@code [out, in, k...]}, with receptive field {@code r = Π k},
 * {@code fan_in = in·r} and {@code fan_out = out·r} (a dense weight {@code [out, in]} has
 * {@code r = 1}). The factories write their distribution:
 * <ul>
 *   <li>{@link #uniform}: {@code U(a, b)}; {@link #normal}: {@code N(mean, std²)}</li>
 *   <li>{@link #glorotUniform}: {@code U(−l, l)}, {@code l = √(6 / (fan_in + fan_out))};
 *       {@link #glorotNormal}: {@code N(0, 2 / (fan_in + fan_out))}</li>
 *   <li>{@link #heUniform}: {@code U(−l, l)}, {@code l = √(6 / fan_in)};
 *       {@link #heNormal}: {@code N(0, 2 / fan_in)} (gain √2, for ReLU)</li>
 *   <li>{@link #lecunUniform}: {@code U(−l, l)}, {@code l = √(3 / fan_in)};
 *       {@link #lecunNormal}: {@code N(0, 1 / fan_in)}</li>
 *   <li>{@link #orthogonal}: {@code gain·Q}, {@code Q} with orthonormal rows or columns</li>
 *   <li>{@link #zeros}, {@link #constant}: every element the same</li>
 * </ul>
 */
@FunctionalInterface
public interface Initializer {
    /** A new tensor of {@code shape} and {@code dtype} drawn with {@code rng}. */
    Tensor create(RandomGenerator rng, DType dtype, Shape shape);

    /** {@code U(a, b)}. */
    static Initializer uniform(double a, double b) {
        return (rng, dtype, shape) -> Tensor.uniform(rng, dtype, shape, a, b);
    }

    /** {@code N(mean, std²)}. */
    static Initializer normal(double mean, double std) {
        return (rng, dtype, shape) -> Tensor.normal(rng, dtype, shape, mean, std);
    }

    /** Xavier/Glorot uniform: {@code U(−l, l)} with {@code l = √(6 / (fan_in + fan_out))}. */
    static Initializer glorotUniform() {
        return (rng, dtype, shape) -> symmetricUniform(rng, dtype, shape, Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape))));
    }

    /** Xavier/Glorot normal: {@code N(0, σ²)} with {@code σ = √(2 / (fan_in + fan_out))}. */
    static Initializer glorotNormal() {
        return (rng, dtype, shape) -> Tensor.normal(rng, dtype, shape, 0, Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))));
    }

    /** Kaiming/He uniform for ReLU (gain √2): {@code U(−l, l)} with {@code l = √(6 / fan_in)}. */
    static Initializer heUniform() {
        return (rng, dtype, shape) -> symmetricUniform(rng, dtype, shape, Math.sqrt(6.0 / fanIn(shape)));
    }

    /** Kaiming/He normal for ReLU (gain √2): {@code N(0, σ²)} with {@code σ = √(2 / fan_in)}. */
    static Initializer heNormal() {
        return (rng, dtype, shape) -> Tensor.normal(rng, dtype, shape, 0, Math.sqrt(2.0 / fanIn(shape)));
    }

    /** LeCun uniform: {@code U(−l, l)} with {@code l = √(3 / fan_in)} (variance {@code 1 / fan_in}). */
    static Initializer lecunUniform() {
        return (rng, dtype, shape) -> symmetricUniform(rng, dtype, shape, Math.sqrt(3.0 / fanIn(shape)));
    }

    /** LeCun normal: {@code N(0, σ²)} with {@code σ = √(1 / fan_in)}. */
    static Initializer lecunNormal() {
        return (rng, dtype, shape) -> Tensor.normal(rng, dtype, shape, 0, Math.sqrt(1.0 / fanIn(shape)));
    }

    /**
     * Orthogonal (Saxe et al.): the weight viewed as a matrix {@code [rows = dim 0, cols = rest]}
     * is {@code gain·Q}, where {@code Q} comes from the QR decomposition (modified Gram–Schmidt,
     * in double) of a standard Gaussian matrix: orthonormal columns when {@code rows ≥ cols}
     * ({@code WᵀW = gain²·I}), orthonormal rows otherwise ({@code WWᵀ = gain²·I}).
     */
    static Initializer orthogonal(double gain) {
        return (rng, dtype, shape) -> Orthogonal.create(rng, dtype, shape, gain);
    }

    /** Every element 0. */
    static Initializer zeros() {
        return constant(0);
    }

    /** Every element {@code value}. */
    static Initializer constant(double value) {
        return (rng, dtype, shape) -> Tensor.full(dtype, shape, value);
    }

    /** {@code dim 1 · receptive field}; a vector's fan is its length. */
    static int fanIn(Shape shape) {
        return shape.rank() < 2 ? shape.size() : shape.dim(1) * receptiveField(shape);
    }

    /** {@code dim 0 · receptive field}; a vector's fan is its length. */
    static int fanOut(Shape shape) {
        return shape.rank() < 2 ? shape.size() : shape.dim(0) * receptiveField(shape);
    }

    private static int receptiveField(Shape shape) {
        return shape.size() / Math.max(1, shape.dim(0) * shape.dim(1));
    }

    private static Tensor symmetricUniform(RandomGenerator rng, DType dtype, Shape shape, double limit) {
        return Tensor.uniform(rng, dtype, shape, -limit, limit);
    }
}
