package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void broadcastingFollowsNumPy() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(new float[] {100, 200}, 2, 1);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(row).toFloatArray());
        assertArrayEquals(new float[] {101, 102, 103, 204, 205, 206}, a.add(col).toFloatArray());
        assertEquals(Shape.of(2, 3), col.add(row).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.add(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("do not broadcast"));
    }

    @Test
    void matmulByHand() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, a.matmul(b).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(3, 2)));
    }

    @Test
    void reductionsAndArgmax() {
        Tensor a = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new float[] {9, 12}, a.sum(1, false).toFloatArray());
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(0, false).toFloatArray());
        assertEquals(21, a.sum().item());
        assertEquals(3.5, a.mean().item(), 1e-6);
        assertArrayEquals(new float[] {5, 6}, a.max(1, false).toFloatArray());
        assertArrayEquals(new int[] {1, 2}, a.argmax(1).toIntArray());
        double lse = Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3));
        assertEquals(lse, a.logSumExp(1, false).get(0), 1e-5);
    }

    @Test
    void stableWithExtremeLogits() {
        Tensor z = Tensor.of(new float[] {1e4f, -1e4f, 0, 1e4f}, 2, 2);
        Tensor lse = z.logSumExp(1, false);
        assertEquals(1e4, lse.get(0), 1e-2);
        assertEquals(1e4, lse.get(1), 1e-2);
        Tensor loss = z.requiresGrad(true).softmaxCrossEntropy(new int[] {1, 0});
        // row 0: logsumexp - z_1 = 2e4; row 1: 1e4 - 0 = 1e4; mean 1.5e4
        assertEquals(1.5e4, loss.item(), 1);
        loss.backward();
        for (float g : z.grad().toFloatArray()) {
            assertTrue(Float.isFinite(g));
        }
        Tensor p = Tensor.of(new float[] {1000, 0}, 1, 2).softmax(1);
        assertArrayEquals(new float[] {1, 0}, p.toFloatArray());
    }

    @Test
    void shapesWhoseSizeOverflowsALongAreRefusedNotWrapped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.of(65536, 65536, 65536, 65536));
        assertTrue(e.getMessage().contains("more than 2^31 elements"), e.getMessage());
        assertEquals(0, Shape.of(65536, 65536, 0).size());
    }

    @Test
    void windowSizesOfHugeDilatedKernelsDoNotOverflow() {
        Window w = Window.square(65_537, 1, 0, 65_536); // spans 2^32 + 1 pixels
        assertTrue(w.outHeight(28) < 1, "out height " + w.outHeight(28));
        assertThrows(IllegalArgumentException.class, () -> Window.same(129, 16_777_216));
    }

    @Test
    void shapeOperations() {
        Tensor a = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(Shape.of(3, 2), a.reshape(-1, 2).shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, a.transpose(0, 1).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 4, 5}, a.slice(1, 1, 3).toFloatArray());
        assertArrayEquals(new float[] {3, 4, 5, 3, 4, 5}, a.indexSelect(0, 1, 1).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5},
                Tensor.concat(0, a, a).toFloatArray());
        assertArrayEquals(new float[] {2, 3}, a.gather(1, new int[] {2, 0}).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2}, Tensor.concat(0, a, a.slice(0, 0, 1)).toFloatArray());
        Tensor w = Tensor.where(a.gt(2), a, Tensor.scalar(-1));
        assertArrayEquals(new float[] {-1, -1, -1, 3, 4, 5}, w.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
    }

    @Test
    void seededFillsRepeat() {
        Tensor a = Tensor.randn(new SplittableRandom(7), 100);
        Tensor b = Tensor.randn(new SplittableRandom(7), 100);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        Tensor u = Tensor.uniform(new SplittableRandom(1), DType.FLOAT64, Shape.of(10_000), -2, 3);
        for (double v : u.toDoubleArray()) {
            assertTrue(v >= -2 && v < 3);
        }
        assertEquals(0.5, u.mean().item(), 5 * 5 / Math.sqrt(12 * 10_000.0)); // five standard errors
    }

    @Test
    void mixingTypesIsAnError() {
        Tensor f = Tensor.zeros(2);
        Tensor d = Tensor.zeros(DType.FLOAT64, Shape.of(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.add(d));
        assertTrue(e.getMessage().contains("to(DType)"));
    }

    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.8427007929497149, SpecialFunctions.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, SpecialFunctions.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, SpecialFunctions.erf(3), 1e-15);
        assertEquals(0, SpecialFunctions.erf(0), 0);
    }
}
