package dev.descent.optim;

import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimizerTest {

    /** Two parameters, {@code a} (2 elements) and {@code b} (1 element), of the given type. */
    private static final class TwoParams extends Module {
        final Tensor a;
        final Tensor b;

        TwoParams(DType dtype) {
            a = registerParameter("a", Tensor.of(new double[] {1, 2}, 2).to(dtype));
            b = registerParameter("b", Tensor.of(new double[] {3}, 1).to(dtype));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    private static Tensor grad(DType dtype, double... values) {
        return Tensor.of(values, values.length).to(dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void appliesUpdatesInPlaceAndTreatsMissingGradientsAsZero(DType dtype) {
        TwoParams model = new TwoParams(dtype);
        Optimizer opt = new Optimizer(Optimizers.sgd(0.5), model);
        model.a.setGrad(grad(dtype, 1, -2));
        opt.step();
        assertSame(model.a, model.namedParameters().get("a"));
        assertEquals(dtype, model.a.dtype());
        assertArrayEquals(new double[] {0.5, 3}, model.a.toDoubleArray(), 0); // 1 − 0.5·1, 2 + 0.5·2
        assertArrayEquals(new double[] {3}, model.b.toDoubleArray(), 0);      // null gradient: unchanged
        assertEquals(1, opt.stepCount());

        opt.zeroGrad();
        assertNull(model.a.grad());
        opt.step();
        assertArrayEquals(new double[] {0.5, 3}, model.a.toDoubleArray(), 0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStepsMatchAcrossTypes(DType dtype) {
        TwoParams model = new TwoParams(dtype);
        Optimizer opt = new Optimizer(Optimizers.adam(0.1), model);
        for (int s = 0; s < 3; s++) {
            model.a.setGrad(grad(dtype, 0.5, -1));
            model.b.setGrad(grad(dtype, 2));
            opt.step();
        }
        // a constant gradient makes every Adam step −lr·sign(g) (up to eps): 3 steps of 0.1
        double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-7;
        assertArrayEquals(new double[] {0.7, 2.3}, model.a.toDoubleArray(), tol);
        assertArrayEquals(new double[] {2.7}, model.b.toDoubleArray(), tol);
    }

    @Test
    void stateRoundTripContinuesBitForBit() {
        double[][] grads = {{0.5, -1, 2}, {0.25, 2, -1}, {-1, 0.5, 0.1}, {0.3, 0.3, -0.7}, {2, -2, 0.5}, {1, 1, 1}};
        TwoParams reference = new TwoParams(DType.FLOAT64);
        Optimizer full = new Optimizer(Optimizers.rmsprop(0.01, 0.9, 1e-7, true, 0.9, true), reference);
        for (double[] g : grads) {
            feed(reference, g);
            full.step();
        }

        TwoParams first = new TwoParams(DType.FLOAT64);
        Optimizer before = new Optimizer(Optimizers.rmsprop(0.01, 0.9, 1e-7, true, 0.9, true), first);
        for (int s = 0; s < 3; s++) {
            feed(first, grads[s]);
            before.step();
        }
        TwoParams resumed = new TwoParams(DType.FLOAT64);
        resumed.a.copyFromInPlace(first.a);
        resumed.b.copyFromInPlace(first.b);
        Optimizer after = new Optimizer(Optimizers.rmsprop(0.01, 0.9, 1e-7, true, 0.9, true), resumed);
        after.setState(before.state());
        after.setStepCount(before.stepCount());
        for (int s = 3; s < grads.length; s++) {
            feed(resumed, grads[s]);
            after.step();
        }
        assertArrayEquals(reference.a.toDoubleArray(), resumed.a.toDoubleArray(), 0);
        assertArrayEquals(reference.b.toDoubleArray(), resumed.b.toDoubleArray(), 0);
        assertEquals(grads.length, after.stepCount());
    }

    private static void feed(TwoParams m, double[] g) {
        m.a.setGrad(grad(DType.FLOAT64, g[0], g[1]));
        m.b.setGrad(grad(DType.FLOAT64, g[2]));
    }

    @Test
    void rejectsAStateOfAnotherOptimizer() {
        Optimizer opt = new Optimizer(Optimizers.adam(0.1), new TwoParams(DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> opt.setState(new OptState.Empty()));
    }
}
