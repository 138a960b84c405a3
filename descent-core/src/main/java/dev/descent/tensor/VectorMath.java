package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp}, the logistic function and {@code tanh} on float vectors, built from additions,
 * multiplications, fused multiply-adds and bit operations only, so that every tier of the JIT
 * gives the same bits (the Vector API's own {@code EXP} and {@code TANH} are Intel's SVML in C2's
 * code but Java loops before it, and results changed with the moment of compilation). Cephes'
 * single-precision formulas, within 2·10⁻⁷ relative error:
 * <pre>
 *   exp x  = 2ⁿ·p(r),  n = round(x·log₂e),  r = x − n·ln 2 (two-part ln 2),  p a degree-7 polynomial
 *   σ(x)   = 1 / (1 + exp(−x))
 *   tanh x = x + x³·q(x²) for |x| &lt; 0.625,  else sign(x)·(1 − 2/(exp(2|x|) + 1))
 * </pre>
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** 1.5·2²³: adding it rounds to a whole number, which the low bits of the sum then hold. */
    private static final float ROUNDER = 12582912f;

    private VectorMath() {
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** {@code e^x}, for x clamped to [−87.33, 88] (so that 2ⁿ stays a normal float). */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-87.33f).min(88f);
        FloatVector t = v.fma(c(1.44269504088896341f), c(ROUNDER));
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(c(-0.693359375f), v);
        r = n.fma(c(2.12194440e-4f), r);
        FloatVector p = c(1.9875691500e-4f).fma(r, c(1.3981999507e-3f)).fma(r, c(8.3334519073e-3f))
                .fma(r, c(4.1665795894e-2f)).fma(r, c(1.6666665459e-1f)).fma(r, c(5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector twoToN = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER) - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(twoToN.reinterpretAsFloats());
    }

    /** The logistic function {@code 1/(1 + e^−x)}. */
    static FloatVector sigmoid(FloatVector x) {
        return c(1f).div(exp(x.neg()).add(1f));
    }

    /** {@code tanh x}. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector large = c(1f).sub(c(2f).div(exp(a.add(a)).add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector small = c(-5.70498872745e-3f).fma(z, c(2.06390887954e-2f)).fma(z, c(-5.37397155531e-2f))
                .fma(z, c(1.33314422036e-1f)).fma(z, c(-3.33332819422e-1f)).mul(z).fma(x, x);
        return large.blend(small, a.compare(VectorOperators.LT, 0.625f));
    }
}
