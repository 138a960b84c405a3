package dev.descent.nn;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A Linear followed by a ReLU runs fused inside Sequential, with the values of the two ops one after the other. */
class SequentialTest {

    @Test
    void fusedLinearReluEqualsLinearThenRelu() {
        SplittableRandom rng = new SplittableRandom(3);
        Linear first = new Linear(40, 24, rng), second = new Linear(24, 5, rng);
        Sequential model = new Sequential(first, Activation.relu(), second);
        Tensor x = Tensor.rand(new SplittableRandom(4), 7, 40).sub(0.5);

        Tensor fused = model.forward(x);
        fused.square().sum().backward();
        float[] fusedWeightGrad = first.weight().grad().toFloatArray(), fusedBiasGrad = first.bias().grad().toFloatArray();
        model.zeroGrad();

        Tensor byHand = second.forward(x.linear(first.weight(), first.bias()).relu());
        byHand.square().sum().backward();

        assertArrayEquals(byHand.toFloatArray(), fused.toFloatArray());
        assertArrayEquals(first.weight().grad().toFloatArray(), fusedWeightGrad, 1e-6f);
        assertArrayEquals(first.bias().grad().toFloatArray(), fusedBiasGrad, 1e-6f);
    }
}
