package dev.descent.optim;

import dev.descent.tensor.DType;
import dev.descent.tensor.Kernels;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adam's rule is written once, in {@link ScaleByAdam}'s loop; float32 parameters take the vectorised
 * {@link Kernels#fusedAdam} instead. Ten updates of a 37-element parameter (a vector body and a
 * scalar tail) with random gradients: the float32 fast form must give the double-precision rule's
 * updates and moments to float rounding (1e-5 relative).
 */
class AdamRuleTest {

    @Test
    void fastFloatFormFollowsTheRule() {
        assertTrue(Kernels.float32Name().startsWith("vector"),
                "the build runs tests with the Vector API, so float32 takes the fast form: " + Kernels.float32Name());
        SplittableRandom rng = new SplittableRandom(7);
        int n = 37;
        double[] start = new double[n];
        for (int i = 0; i < n; i++) {
            start[i] = rng.nextDouble(-1, 1);
        }
        GradientTransformation rule = Transforms.scaleByAdam(0.9, 0.999, 1e-8, 1e-12);
        GradientTransformation fast = Transforms.scaleByAdam(0.9, 0.999, 1e-8, 1e-12);
        Params p64 = params(start, DType.FLOAT64), p32 = params(start, DType.FLOAT32);
        OptState s64 = rule.init(p64), s32 = fast.init(p32);
        for (int step = 0; step < 10; step++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) rng.nextDouble(-2, 2);
            }
            GradientTransformation.Update r64 = rule.update(params(g, DType.FLOAT64), s64, p64, UpdateContext.none());
            GradientTransformation.Update r32 = fast.update(params(g, DType.FLOAT32), s32, p32, UpdateContext.none());
            assertClose(r64.updates(), r32.updates(), "update " + step);
            s64 = r64.state();
            s32 = r32.state();
            ScaleByAdam.AdamState a64 = (ScaleByAdam.AdamState) s64, a32 = (ScaleByAdam.AdamState) s32;
            assertClose(a64.mu(), a32.mu(), "m after update " + step);
            assertClose(a64.nu(), a32.nu(), "v after update " + step);
        }
    }

    private static Params params(double[] values, DType dtype) {
        return new Params(List.of("x"), List.of(Tensor.of(values.clone(), values.length).to(dtype)));
    }

    private static void assertClose(Params expected, Params actual, String what) {
        double[] e = expected.get(0).toDoubleArray(), a = actual.get(0).toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 * Math.abs(e[i]) + 1e-9, what + ", element " + i);
        }
    }
}
