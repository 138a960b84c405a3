package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DropoutTest {
    @Test
    void zeroesTheRateShareAndScalesSurvivorsByInverseKeepProbability() {
        double rate = 0.3;
        float[] y = new Dropout(rate, 1).forward(Tensor.ones(100_000)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals((float) (1 / (1 - rate)), v);
            }
        }
        assertEquals(rate, zeros / 100_000.0, 0.01);
    }

    @Test
    void identityInEvalModeAndAtRateZero() {
        Tensor x = Tensor.ones(10);
        Dropout d = new Dropout(0.5, 1);
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, 1).forward(x));
    }

    @Test
    void reseedRepeatsTheMaskAndFreshCallsDrawNewOnes() {
        Dropout d = new Dropout(0.5, 1);
        Tensor x = Tensor.ones(64);
        d.reseed(9);
        float[] first = d.forward(x).toFloatArray();
        float[] second = d.forward(x).toFloatArray();
        d.reseed(9);
        assertArrayEquals(first, d.forward(x).toFloatArray());
        assertFalse(java.util.Arrays.equals(first, second));
    }

    @Test
    void rejectsRatesOutsideZeroToOne() {
        assertThrows(DescentException.class, () -> new Dropout(1, 0));
        assertThrows(DescentException.class, () -> new Dropout(-0.1, 0));
        assertThrows(DescentException.class, () -> new Dropout(Double.NaN, 0));
    }
}
