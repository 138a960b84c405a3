package dev.descent.tensor;

/**
 * Element-wise functions of two broadcast operands, {@code out = f(a, b)}. Their
 * derivatives live in the autograd table ({@code dev.descent.tensor.Derivatives}).
 * Comparisons return 1 for true and 0 for false and carry no gradient.
 */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    /** Element-wise {@code max(a, b)}; the gradient goes to {@code a} where {@code a >= b}. */
    MAXIMUM { public double apply(double a, double b) { return Math.max(a, b); } },
    /** Element-wise {@code min(a, b)}; the gradient goes to {@code a} where {@code a <= b}. */
    MINIMUM { public double apply(double a, double b) { return Math.min(a, b); } },
    GREATER { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GREATER_EQUAL { public double apply(double a, double b) { return a >= b ? 1 : 0; } },
    LESS { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LESS_EQUAL { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    EQUAL { public double apply(double a, double b) { return a == b ? 1 : 0; } };

    public abstract double apply(double a, double b);

    /** Whether the result is a 0/1 comparison, which has no gradient. */
    public boolean isComparison() {
        return ordinal() >= GREATER.ordinal();
    }
}
