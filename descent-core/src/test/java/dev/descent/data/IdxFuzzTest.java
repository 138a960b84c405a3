package dev.descent.data;

import dev.descent.data.Idx.IdxArray;
import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target of the IDX reader ({@link Idx#read(Path, int)}, raw and gzip) and of the MNIST
 * loader on top of it ({@link Mnist#load(Path, int)}, one of its four files mutated): each input
 * is read, or refused with a one-line {@link dev.descent.DescentException}, without allocating
 * what a header claims before the file shows it holds it.
 */
class IdxFuzzTest {
    private static final Path FILE = Fuzz.scratch("input-idx-ubyte").resolve("input-idx-ubyte");
    private static final Path MNIST = Fuzz.scratch(Mnist.FILES.toArray(String[]::new));
    private static final List<Seed> SEEDS = seeds();

    static {
        Mnist.FILES.forEach(name -> Fuzz.write(MNIST.resolve(name), validMnistFile(name)));
    }

    private static List<Seed> seeds() {
        List<Seed> seeds = new ArrayList<>();
        byte[] pixels = new byte[3 * 4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 5);
        }
        seeds.add(seed("images", new IdxArray(Idx.UBYTE, new int[] {3, 4, 4}, pixels)));
        seeds.add(seed("labels", new IdxArray(Idx.UBYTE, new int[] {3}, new byte[] {7, 2, 1})));
        seeds.add(seed("floats", new IdxArray(Idx.FLOAT, new int[] {2, 2}, ByteBuffer.allocate(16)
                .putFloat(1.5f).putFloat(-2).putFloat(Float.NaN).putFloat(0).array())));
        seeds.add(seed("doubles", new IdxArray(Idx.DOUBLE, new int[] {1, 1, 1, 1}, ByteBuffer.allocate(8).putDouble(0.25).array())));
        seeds.add(seed("shorts", new IdxArray(Idx.SHORT, new int[] {3}, ByteBuffer.allocate(6)
                .putShort((short) -3).putShort((short) 1000).putShort((short) 7).array())));
        seeds.add(seed("ints", new IdxArray(Idx.INT, new int[] {1, 2}, ByteBuffer.allocate(8).putInt(-70000).putInt(5).array())));
        Path mnist = TestData.mnist();
        seeds.add(seed("mnist-test-labels", Idx.read(mnist.resolve(Mnist.TEST_LABELS), 20)));
        seeds.add(seed("mnist-test-images", Idx.read(mnist.resolve(Mnist.TEST_IMAGES), 2)));
        return seeds;
    }

    private static Seed seed(String name, IdxArray array) {
        try {
            Idx.write(FILE, array, false);
            return new Seed(name, Files.readAllBytes(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<Input> idx() {
        return Fuzz.inputs(SEEDS, List.of());
    }

    @Provide
    Arbitrary<Integer> maxItems() {
        return Arbitraries.of(1, 2, 3, Integer.MAX_VALUE);
    }

    @Property
    void readsOrRefusesInOneLine(@ForAll("idx") Input input, @ForAll boolean gzip, @ForAll("maxItems") int maxItems) {
        Fuzz.write(FILE, gzip ? input.gzipped() : input.bytes());
        Fuzz.check(input, () -> Idx.read(FILE, maxItems).toFloatArray());
    }

    /** One of the four files of a valid MNIST-like set (3 images of 4×4) is replaced by the input, then restored. */
    @Property
    void mnistLoadsOrRefusesInOneLine(@ForAll("idx") Input input, @ForAll("maxItems") int limit,
                                      @ForAll("mnistFile") String mutated) {
        Fuzz.write(MNIST.resolve(mutated), input.gzipped());
        try {
            Fuzz.check(input, () -> Mnist.load(MNIST, limit));
        } finally {
            Fuzz.write(MNIST.resolve(mutated), validMnistFile(mutated));
        }
    }

    private static byte[] validMnistFile(String name) {
        return Fuzz.gzip(SEEDS.get(name.contains("images") ? 0 : 1).bytes());
    }

    @Provide
    Arbitrary<String> mnistFile() {
        return Arbitraries.of(Mnist.FILES);
    }
}
