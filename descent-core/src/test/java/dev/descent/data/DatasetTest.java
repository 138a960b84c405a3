package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    static Dataset sample() {
        float[] x = new float[10];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Dataset(Tensor.wrap(x, 5, 2), Tensor.wrap(new float[] {0, 2, 1, 2, 0}, 5));
    }

    @Test
    void labelsSubsetsAndSlices() {
        Dataset d = sample();
        assertEquals(5, d.size());
        assertArrayEquals(new int[] {0, 2, 1, 2, 0}, d.labels());
        assertEquals(3, d.numClasses());
        Dataset s = d.subset(3, 0);
        assertArrayEquals(new float[] {6, 7, 0, 1}, s.inputs().toFloatArray());
        assertArrayEquals(new int[] {2, 0}, s.labels());
        assertArrayEquals(new float[] {2, 3, 4, 5}, d.slice(1, 3).inputs().toFloatArray());
    }

    @Test
    void rejectsMismatchedCounts() {
        String message = assertThrows(DescentException.class,
                () -> new Dataset(Tensor.zeros(4, 2), Tensor.zeros(3))).getMessage();
        assertTrue(message.contains("4 inputs but 3 targets"), message);
    }

    @Test
    void rejectsNonIntegerLabels() {
        Dataset d = new Dataset(Tensor.zeros(2, 1), Tensor.wrap(new float[] {0, 1.5f}, 2));
        assertTrue(assertThrows(DescentException.class, d::labels).getMessage().contains("not a class index"));
    }
}
