package dev.descent.tensor;

/**
 * Element-wise functions {@code y = f(x)} with their derivatives {@code dy/dx}. This table
 * is the single place where each function and its derivative are written; the autograd
 * rule for every element-wise op multiplies the incoming gradient by {@link #derivative}.
 * {@code alpha} is the function's parameter where it has one (leaky ReLU slope, ELU scale,
 * power exponent) and is ignored otherwise.
 */
public enum UnaryOp {
    /** {@code -x}. */
    NEG {
        public double apply(double x, double a) { return -x; }
        public double derivative(double x, double y, double a) { return -1; }
    },
    /** {@code e^x}. */
    EXP {
        public double apply(double x, double a) { return Math.exp(x); }
        public double derivative(double x, double y, double a) { return y; }
    },
    /** Natural logarithm {@code ln x}. */
    LOG {
        public double apply(double x, double a) { return Math.log(x); }
        public double derivative(double x, double y, double a) { return 1 / x; }
    },
    /** {@code sqrt(x)}. */
    SQRT {
        public double apply(double x, double a) { return Math.sqrt(x); }
        public double derivative(double x, double y, double a) { return 0.5 / y; }
    },
    /** {@code |x|}; its derivative is {@code sign(x)}, 0 at 0. */
    ABS {
        public double apply(double x, double a) { return Math.abs(x); }
        public double derivative(double x, double y, double a) { return Math.signum(x); }
    },
    /** {@code x^alpha}. */
    POW {
        public double apply(double x, double a) { return a == 2 ? x * x : Math.pow(x, a); }
        public double derivative(double x, double y, double a) { return a == 2 ? 2 * x : a * Math.pow(x, a - 1); }
    },
    /** {@code max(0, x)}; derivative 1 for x &gt; 0, else 0. */
    RELU {
        public double apply(double x, double a) { return x > 0 ? x : 0; }
        public double derivative(double x, double y, double a) { return x > 0 ? 1 : 0; }
    },
    /** {@code x} for x &gt; 0, {@code alpha·x} otherwise. */
    LEAKY_RELU {
        public double apply(double x, double a) { return x > 0 ? x : a * x; }
        public double derivative(double x, double y, double a) { return x > 0 ? 1 : a; }
    },
    /** {@code x} for x &gt; 0, {@code alpha·(e^x − 1)} otherwise. */
    ELU {
        public double apply(double x, double a) { return x > 0 ? x : a * Math.expm1(x); }
        public double derivative(double x, double y, double a) { return x > 0 ? 1 : a * Math.exp(x); }
    },
    /** Exact GELU {@code x·Φ(x)} with {@code Φ(x) = (1 + erf(x/√2))/2}; derivative {@code Φ(x) + x·φ(x)}. */
    GELU {
        public double apply(double x, double a) { return x * SpecialFunctions.normalCdf(x); }
        public double derivative(double x, double y, double a) {
            return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
        }
    },
    /** SiLU (swish) {@code x·σ(x)}; derivative {@code σ(x)·(1 + x·(1 − σ(x)))}. */
    SILU {
        public double apply(double x, double a) { return x * sigmoid(x); }
        public double derivative(double x, double y, double a) {
            double s = sigmoid(x);
            return s * (1 + x * (1 - s));
        }
    },
    /** Logistic sigmoid {@code σ(x) = 1/(1 + e^−x)}; derivative {@code y·(1 − y)}. */
    SIGMOID {
        public double apply(double x, double a) { return sigmoid(x); }
        public double derivative(double x, double y, double a) { return y * (1 - y); }
    },
    /** {@code tanh x}; derivative {@code 1 − y²}. */
    TANH {
        public double apply(double x, double a) { return Math.tanh(x); }
        public double derivative(double x, double y, double a) { return 1 - y * y; }
    },
    /** Softplus {@code ln(1 + e^x)}, computed as {@code max(x,0) + ln(1 + e^−|x|)}; derivative {@code σ(x)}. */
    SOFTPLUS {
        public double apply(double x, double a) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
        public double derivative(double x, double y, double a) { return sigmoid(x); }
    };

    /** {@code f(x)} with parameter {@code alpha}. */
    public abstract double apply(double x, double alpha);

    /** {@code f'(x)}, given the input {@code x} and the output {@code y = f(x)}. */
    public abstract double derivative(double x, double y, double alpha);

    /** Numerically stable logistic function. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
