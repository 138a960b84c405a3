package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.data.Idx.IdxArray;
import dev.descent.fuzz.Fuzz;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheRealMnist() {
        Mnist.Split mnist = Mnist.load(TestData.mnist());
        assertArrayEquals(new int[] {60000, 1, 28, 28}, mnist.train().inputs().dims());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, mnist.test().inputs().dims());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                classCounts(mnist.train()));
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, classCounts(mnist.test()));
        assertEquals(10, mnist.train().numClasses());
        for (Tensor pixels : List.of(mnist.train().inputs(), mnist.test().inputs())) {
            assertEquals(0.0, -pixels.neg().max().item());
            assertEquals(1.0, pixels.max().item());
        }
    }

    private static int[] classCounts(Dataset data) {
        int[] counts = new int[10];
        for (int label : data.labels()) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void loadsMnistLikeFilesOfAnotherSizeUnderUngzippedNames() throws IOException {
        writeSet(3, 3, 5, 2, 2);
        Mnist.Split split = Mnist.load(dir);
        assertArrayEquals(new int[] {3, 1, 5, 5}, split.train().inputs().dims());
        assertArrayEquals(new int[] {2, 1, 5, 5}, split.test().inputs().dims());
        assertEquals(1f, split.train().inputs().toFloatArray()[1] * 255, 1e-4);
    }

    @Test
    void aLimitKeepsOnlyTheFirstExamplesInMemory() throws IOException {
        Path real = TestData.mnist();
        Mnist.Split[] split = new Mnist.Split[1];
        long allocated = Fuzz.bytesAllocatedBy(() -> split[0] = Mnist.load(real, 2));
        assertArrayEquals(new int[] {2, 1, 28, 28}, split[0].train().inputs().dims());
        assertArrayEquals(new int[] {5, 0}, split[0].train().labels());
        assertArrayEquals(new int[] {7, 2}, split[0].test().labels());
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated for 4 examples");

        writeSet(3, 3, 5, 2, 2);
        Mnist.Split small = Mnist.load(dir, 2);
        assertArrayEquals(new int[] {2, 1, 5, 5}, small.train().inputs().dims());
        assertArrayEquals(new int[] {2, 1, 5, 5}, small.test().inputs().dims());
    }

    @Test
    void rejectsALabelCountThatDiffersFromTheImageCount() throws IOException {
        writeSet(3, 4, 28, 2, 2);
        String message = assertThrows(DescentException.class, () -> Mnist.load(dir)).getMessage();
        assertTrue(message.contains("train-labels-idx1-ubyte has 4 labels but"), message);
        assertTrue(message.contains("train-images-idx3-ubyte has 3 images"), message);
    }

    @Test
    void rejectsTrainAndTestImagesOfDifferentSizes() throws IOException {
        writeSet(3, 3, 28, 2, 2);
        image(Mnist.TEST_IMAGES, 2, 14);
        assertTrue(assertThrows(DescentException.class, () -> Mnist.load(dir)).getMessage()
                .contains("are 28x28 but the test images are 14x14"));
    }

    @Test
    void namesTheMissingFile() {
        String message = assertThrows(DescentException.class, () -> Mnist.load(dir)).getMessage();
        assertTrue(message.contains("has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte"), message);
    }

    @Test
    void findsTheFolderInLookupOrder() {
        Path shared = TestData.mnist();
        Mnist.Locator fromEnv = locator(null, Map.of("DESCENT_DATA", shared.getParent().toString()));
        assertEquals(shared, fromEnv.locate());
        assertEquals(shared, locator(shared.getParent(), Map.of()).locate());
        assertEquals(List.of(dir.resolve("x"), dir.resolve("x/mnist"), Path.of("/d/mnist"), Path.of("/c/descent/mnist")),
                locator(dir.resolve("x"), Map.of("DESCENT_DATA", "/d", "XDG_CACHE_HOME", "/c")).candidates());
        assertEquals(dir.resolve(".cache/descent/mnist"), locator(null, Map.of()).cacheDir());
    }

    private Mnist.Locator locator(Path dataDir, Map<String, String> env) {
        return new Mnist.Locator(dataDir, env, dir, List.of(), new PrintStream(OutputStream.nullOutputStream()));
    }

    /** MNIST-like files under the un-gzipped names (labels gzipped all the same): pixel bytes 0, 1, 2, ..., labels 0, 1, 2, ... */
    private void writeSet(int trainImages, int trainLabels, int side, int testImages, int testLabels)
            throws IOException {
        image(Mnist.TRAIN_IMAGES, trainImages, side);
        label(Mnist.TRAIN_LABELS, trainLabels);
        image(Mnist.TEST_IMAGES, testImages, side);
        label(Mnist.TEST_LABELS, testLabels);
    }

    private void image(String name, int n, int side) throws IOException {
        byte[] pixels = new byte[n * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        Idx.write(dir.resolve(name.replace(".gz", "")), new IdxArray(Idx.UBYTE, new int[] {n, side, side}, pixels), false);
    }

    private void label(String name, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) i;
        }
        Idx.write(dir.resolve(name.replace(".gz", "")), new IdxArray(Idx.UBYTE, new int[] {n}, labels), true);
    }
}
