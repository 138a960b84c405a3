package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.UnaryOp;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An element-wise activation {@code y = f(x)}, one module class for every function of
 * {@link Kind}: ReLU {@code max(0, x)}, leaky ReLU {@code x > 0 ? x : α·x} (α = 0.01),
 * ELU {@code x > 0 ? x : α·(eˣ − 1)} (α = 1), GELU {@code x·Φ(x)}, SiLU {@code x·σ(x)},
 * sigmoid {@code σ(x) = 1/(1 + e⁻ˣ)} and {@code tanh x}. No parameters.
 */
public final class Activation extends Module {
    /** The activation functions, with the name the command line and {@code ModelSpec} use. */
    public enum Kind {
        RELU(UnaryOp.RELU, Double.NaN),
        LEAKY_RELU(UnaryOp.LEAKY_RELU, 0.01),
        ELU(UnaryOp.ELU, 1),
        GELU(UnaryOp.GELU, Double.NaN),
        SILU(UnaryOp.SILU, Double.NaN),
        SIGMOID(UnaryOp.SIGMOID, Double.NaN),
        TANH(UnaryOp.TANH, Double.NaN);

        private final UnaryOp op;
        private final double defaultAlpha;

        Kind(UnaryOp op, double defaultAlpha) {
            this.op = op;
            this.defaultAlpha = defaultAlpha;
        }

        /** The lower-case name, such as {@code "leaky_relu"}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the function takes a parameter α (leaky ReLU slope, ELU scale). */
        public boolean hasAlpha() {
            return !Double.isNaN(defaultAlpha);
        }

        public double defaultAlpha() {
            return defaultAlpha;
        }

        /** The kind called {@code name} ({@code "relu"}, {@code "leaky_relu"}, ...). */
        public static Kind byLabel(String name) {
            for (Kind k : values()) {
                if (k.label().equals(name)) {
                    return k;
                }
            }
            throw new DescentException("unknown activation '" + name + "': use one of "
                    + Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", ")));
        }
    }

    private final Kind kind;
    private final double alpha;

    /** The activation {@code kind} with parameter {@code alpha} (ignored by kinds without one). */
    public Activation(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = kind.hasAlpha() ? alpha : 0;
    }

    /** The activation {@code kind} with its default parameter. */
    public Activation(Kind kind) {
        this(kind, kind.defaultAlpha);
    }

    /** The activation named {@code name} with its default parameter. */
    public static Activation of(String name) {
        return new Activation(Kind.byLabel(name));
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    public static Activation gelu() {
        return new Activation(Kind.GELU);
    }

    public static Activation silu() {
        return new Activation(Kind.SILU);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    public Kind kind() {
        return kind;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.apply(kind.op, alpha);
    }

    @Override
    public String toString() {
        return kind.hasAlpha() ? kind.label() + "(" + alpha + ")" : kind.label();
    }
}
