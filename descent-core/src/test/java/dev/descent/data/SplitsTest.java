package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    /** N examples whose input is their index and whose label is given. */
    private static Dataset indexed(float[] labels) {
        return new Dataset(Tensor.arange(labels.length).reshape(labels.length, 1), Tensor.of(labels, labels.length));
    }

    @Test
    void holdsOutTheLastTenPercent() {
        Splits.Split split = Splits.holdoutLast(indexed(new float[50]), 0.1);
        assertArrayEquals(IntStream.range(0, 45).toArray(), split.train().inputs().toIntArray());
        assertArrayEquals(IntStream.range(45, 50).toArray(), split.validation().inputs().toIntArray());
    }

    @Test
    void stratifiedKeepsClassProportionsAndCoversEveryExampleOnce() {
        float[] labels = new float[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 700 ? 0 : i < 900 ? 1 : 2;
        }
        Splits.Split split = Splits.stratified(indexed(labels), 0.2, 5);
        int[] counts = new int[3];
        for (int l : split.validation().labels()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {140, 40, 20}, counts);
        int[] all = IntStream.concat(Arrays.stream(split.train().inputs().toIntArray()),
                Arrays.stream(split.validation().inputs().toIntArray())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
        assertArrayEquals(split.validation().inputs().toIntArray(),
                Splits.stratified(indexed(labels), 0.2, 5).validation().inputs().toIntArray());
    }

    @Test
    void stratifiedRejectsAClassTooSmallToSplit() {
        String message = assertThrows(DescentException.class,
                () -> Splits.stratified(indexed(new float[] {0, 0, 0, 1}), 0.5, 1)).getMessage();
        assertTrue(message.contains("class 1 has only 1 examples"), message);
    }

    @Test
    void rejectsFractionsOutsideZeroOne() {
        assertThrows(DescentException.class, () -> Splits.holdoutLast(indexed(new float[10]), 1.0));
        assertThrows(DescentException.class, () -> Splits.holdoutLast(indexed(new float[10]), 0.01));
    }
}
