package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataLoaderTest {
    private static final int N = 103;

    /** Example i has input i and target i, so batches reveal which examples they hold. */
    private static Dataset identity() {
        Tensor indices = Tensor.arange(N);
        return new Dataset(indices.reshape(N, 1), indices);
    }

    private static List<Integer> visited(DataLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        for (DataLoader.Batch batch : loader.epoch(epoch)) {
            assertArrayEquals(batch.inputs().toIntArray(), batch.targets().toIntArray());
            for (int i : batch.targets().toIntArray()) {
                seen.add(i);
            }
        }
        return seen;
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrderOtherEpochsAnother() {
        DataLoader a = new DataLoader(identity(), 10, true, 42, false);
        DataLoader b = new DataLoader(identity(), 10, true, 42, false);
        assertEquals(visited(a, 3), visited(b, 3));
        assertEquals(visited(a, 3), visited(a, 3));
        assertFalse(visited(a, 3).equals(visited(a, 4)));
        assertFalse(visited(a, 3).equals(visited(new DataLoader(identity(), 10, true, 43, false), 3)));
    }

    @Test
    void everyExampleExactlyOncePerEpoch() {
        List<Integer> seen = visited(new DataLoader(identity(), 10, true, 7, false), 0);
        int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] all = new int[N];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, sorted);
    }

    @Test
    void keepsOrDropsTheLastPartialBatch() {
        DataLoader keep = new DataLoader(identity(), 10, false, 0, false);
        DataLoader drop = new DataLoader(identity(), 10, false, 0, true);
        assertEquals(11, keep.batchesPerEpoch());
        assertEquals(10, drop.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        keep.epoch(0).forEach(b -> sizes.add(b.size()));
        assertEquals(11, sizes.size());
        assertEquals(3, sizes.get(10));
        assertEquals(100, visited(drop, 0).size());
        assertEquals(0, visited(keep, 0).get(0));
        assertEquals(N - 1, visited(keep, 0).get(N - 1));
    }

    @Test
    void rejectsBatchSizeZero() {
        assertThrows(DescentException.class, () -> new DataLoader(identity(), 0, false, 0, false));
    }
}
