package dev.descent.data;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KFoldTest {
    @Test
    void everyRowIsTestedOnceAndFoldSizesDifferByOne() {
        List<Splits.IndexSplit> folds = Splits.kFold(23, 5, 7);
        int[] tested = new int[23];
        for (Splits.IndexSplit f : folds) {
            assertTrue(f.test().length == 4 || f.test().length == 5);
            assertEquals(23, f.test().length + f.train().length);
            Arrays.stream(f.test()).forEach(i -> tested[i]++);
            assertTrue(Arrays.stream(f.train()).noneMatch(i -> Arrays.stream(f.test()).anyMatch(j -> j == i)));
        }
        assertTrue(Arrays.stream(tested).allMatch(c -> c == 1));
        assertEquals(Arrays.toString(folds.get(2).test()), Arrays.toString(Splits.kFold(23, 5, 7).get(2).test()));
    }

    @Test
    void stratifiedFoldsKeepClassProportions() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 70 ? 0 : i < 90 ? 1 : 2;
        }
        for (Splits.IndexSplit f : Splits.stratifiedKFold(labels, 10, 3)) {
            int[] counts = new int[3];
            Arrays.stream(f.test()).forEach(i -> counts[labels[i]]++);
            assertEquals(7, counts[0]);
            assertEquals(2, counts[1]);
            assertEquals(1, counts[2]);
        }
    }

    @Test
    void holdoutIndicesAndBadFoldCounts() {
        Splits.IndexSplit s = Splits.randomIndices(50, 0.2, 1);
        assertEquals(10, s.test().length);
        assertEquals(40, s.train().length);
        Splits.IndexSplit strat = Splits.stratifiedIndices(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, 0.5, 1);
        assertEquals(5, strat.test().length);
        assertThrows(DescentException.class, () -> Splits.kFold(3, 4, 1));
        assertThrows(DescentException.class, () -> Splits.kFold(10, 1, 1));
    }
}
