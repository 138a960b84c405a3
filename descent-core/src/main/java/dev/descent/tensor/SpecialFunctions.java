package dev.descent.tensor;

/** The error function and the standard normal density and distribution, in double precision. */
final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private SpecialFunctions() {
    }

    /**
     * {@code erf(x) = 2/√π · e^(−x²) · Σ_n 2^n x^(2n+1) / (1·3·5···(2n+1))}: a series of positive
     * terms (no cancellation), exact to double precision; {@code |erf(x)| = 1} beyond |x| = 6.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);
        }
        double term = ax, sum = ax, x2 = ax * ax;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
    }

    /** Standard normal distribution {@code Φ(x) = (1 + erf(x/√2))/2}. */
    static double normalCdf(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    /** Standard normal density {@code φ(x) = e^(−x²/2)/√(2π)}. */
    static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
