package dev.descent.nn;

import dev.descent.nn.init.Initializer;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The dense layer {@code y = x·Wᵀ + b} over the last axis of {@code x}: parameters
 * {@code "weight"} {@code W [out, in]} and {@code "bias"} {@code b [out]}.
 *
 * <p>Default initialization: {@code W ~ U(−√(6/in), √(6/in))} (He/Kaiming uniform, suited to
 * ReLU networks) and {@code b = 0}.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    /** A layer with default initialization from an unseeded random source. */
    public Linear(int in, int out) {
        this(in, out, new SplittableRandom());
    }

    /** A layer with default initialization (He uniform weights, zero bias) drawn from {@code rng}. */
    public Linear(int in, int out, RandomGenerator rng) {
        this(in, out, rng, Initializer.heUniform(), Initializer.zeros());
    }

    /** A layer whose weight and bias are created by the given initializers, drawing from {@code rng}. */
    public Linear(int in, int out, RandomGenerator rng, Initializer weightInit, Initializer biasInit) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + ", out=" + out);
        }
        this.inFeatures = in;
        this.outFeatures = out;
        registerParameter("weight", weightInit.create(rng, DType.FLOAT32, Shape.of(out, in)));
        registerParameter("bias", biasInit.create(rng, DType.FLOAT32, Shape.of(out)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.linear(weight(), bias());
    }

    /** {@code max(x·Wᵀ + b, 0)}: this layer and a ReLU after it, fused ({@link Tensor#linearRelu}). */
    public Tensor forwardRelu(Tensor x) {
        return x.linearRelu(weight(), bias());
    }

    /** {@code W [out, in]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** {@code b [out]}. */
    public Tensor bias() {
        return parameter("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + ", " + outFeatures + ")";
    }
}
