package dev.descent.nn;

import dev.descent.nn.init.Initializer;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;

import java.util.random.RandomGenerator;

/**
 * The 2-D convolution layer of PyTorch's {@code nn.Conv2d} on {@code x [N, C, H, W]}:
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c ∈ group(o)} Σ_{a, β} W[o, c, a, β] · x[n, c, i·s − p + a·d, j·s − p + β·d]
 * </pre>
 * (zero padding outside the input, {@link Convolution}), with parameters {@code "weight"}
 * {@code W [out, in/groups, k, k]} and, unless left out, {@code "bias"} {@code b [out]}.
 * The output is {@code [N, out, ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1, …]}; "same" padding keeps
 * {@code H × W} (stride 1).
 *
 * <p>Default initialization: {@code W ~ U(−√(6/fan_in), √(6/fan_in))} with
 * {@code fan_in = in/groups·k²} (He uniform, as {@link Linear}) and {@code b = 0}.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final Window window;
    private final int groups;
    private final boolean hasBias;

    /** A {@code k×k} convolution with stride 1, no padding, one group and a bias. */
    public Conv2d(int in, int out, int kernel, RandomGenerator rng) {
        this(in, out, Window.square(kernel, 1, 0, 1), 1, true, rng);
    }

    /**
     * A convolution over {@code window} (kernel, stride, padding, dilation) in {@code groups}
     * groups, with or without bias; {@code in} and {@code out} must be divisible by {@code groups}.
     */
    public Conv2d(int in, int out, Window window, int groups, boolean bias, RandomGenerator rng) {
        if (in < 1 || out < 1 || groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d needs positive channel counts divisible by groups, got in=" + in
                    + ", out=" + out + ", groups=" + groups);
        }
        this.inChannels = in;
        this.outChannels = out;
        this.window = window;
        this.groups = groups;
        this.hasBias = bias;
        registerParameter("weight", Initializer.heUniform().create(rng, DType.FLOAT32,
                Shape.of(out, in / groups, window.kernelH(), window.kernelW())));
        if (bias) {
            registerParameter("bias", Tensor.zeros(out));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d wants input [N, " + inChannels + ", H, W], got " + x.shape());
        }
        return Convolution.conv2d(x, parameter("weight"), hasBias ? parameter("bias") : null, window, groups);
    }

    public Window window() {
        return window;
    }

    public int groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", " + window + ", groups=" + groups + ")";
    }
}
