package dev.descent.loss;

import dev.descent.nn.Linear;
import dev.descent.nn.ModuleGradCheck;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RegularizationTest {
    private static Linear layer() {
        Linear layer = new Linear(2, 2, new SplittableRandom(0));
        layer.setParameter("weight", Tensor.of(new float[] {1, -2, 3, -4}, 2, 2));
        layer.setParameter("bias", Tensor.of(new float[] {5, 6}, 2));
        return layer;
    }

    @Test
    void penaltyCoversWeightsNotBiases() {
        // Σ|w| = 1 + 2 + 3 + 4 = 10, Σw² = 1 + 4 + 9 + 16 = 30; the bias (5, 6) is left out
        assertEquals(1.0, Regularization.l1(0.1).penalty(layer()).item(), 1e-6);
        assertEquals(0.3, Regularization.l2(0.01).penalty(layer()).item(), 1e-6);
        assertEquals(1.3, new Regularization(0.1, 0.01).penalty(layer()).item(), 1e-6);
        assertEquals(0, new Regularization(0, 0).penalty(layer()).item());
    }

    @Test
    void gradientIsLambdaSignPlusTwoLambdaW() {
        Linear layer = layer();
        new Regularization(0.1, 0.01).penalty(layer).backward();
        // 0.1·sign(w) + 0.02·w
        assertArrayEquals(new float[] {0.12f, -0.14f, 0.16f, -0.18f}, layer.weight().grad().toFloatArray(), 1e-6f);
        assertNull(layer.bias().grad());
        Linear checked = layer();
        ModuleGradCheck.assertGradients(checked, null, x -> new Regularization(0.1, 0.01).penalty(checked));
    }
}
