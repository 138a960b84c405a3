package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackpropTest {

    @Test
    void chainRuleByHand() {
        // f(w) = (3w + 1)², f'(w) = 2(3w + 1)·3; at w = 2: 42
        Tensor w = Tensor.scalar(2).requiresGrad(true);
        w.mul(3).add(1).square().backward();
        assertEquals(42, w.grad().item(), 1e-5);
    }

    @Test
    void gradientsFromSeveralUsesAreSummed() {
        // f(x) = x·x + x, f'(x) = 2x + 1 = 7 at x = 3
        Tensor x = Tensor.scalar(3).requiresGrad(true);
        x.mul(x).add(x).backward();
        assertEquals(7, x.grad().item(), 1e-6);
    }

    @Test
    void gradientsAccumulateAcrossCallsUntilZeroed() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        x.sum().backward();
        x.mul(2).sum().backward();
        assertArrayEquals(new float[] {3, 3}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.sum().backward();
        assertArrayEquals(new float[] {1, 1}, x.grad().toFloatArray());
    }

    @Test
    void sameGradientReachingTwoLeavesIsNotShared() {
        Tensor a = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {2}, 1).requiresGrad(true);
        a.add(b).sum().backward();
        a.grad().addInPlace(Tensor.of(new float[] {5}, 1));
        assertEquals(1, b.grad().item(), 0);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor w = Tensor.scalar(1).requiresGrad(true);
        Tensor y;
        try (var scope = Autograd.noGrad()) {
            y = w.mul(2);
            assertFalse(Autograd.isEnabled());
        }
        assertTrue(Autograd.isEnabled());
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("noGrad"));
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(1);
        }
        y.backward();
        assertEquals(1, x.grad().item(), 0);
    }

    @Test
    void backwardNeedsAScalarOrASeed() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.mul(3);
        assertThrows(IllegalStateException.class, y::backward);
        y.backward(Tensor.of(new float[] {1, 10}, 2));
        assertArrayEquals(new float[] {3, 30}, x.grad().toFloatArray());
    }
}
