package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.fuzz.Fuzz;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, t) -> {
            Tensor a = actual.get(name);
            assertEquals(t.dtype(), a.dtype(), name);
            assertEquals(t.shape(), a.shape(), name);
            for (int i = 0; i < t.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(t.storage().get(i)), Double.doubleToRawLongBits(a.storage().get(i)),
                        name + "[" + i + "]");
            }
        });
    }

    @Test
    void roundTripKeepsOrderDtypesValuesAndMetadata() {
        SplittableRandom rng = new SplittableRandom(1);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc2.weight", Tensor.randn(rng, 3, 5));
        tensors.put("fc1.bias", Tensor.of(new float[] {Float.NaN, -0.0f, Float.MIN_VALUE}, 3));
        tensors.put("scale", Tensor.scalar(Math.PI, DType.FLOAT64));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("x64", Tensor.normal(rng, DType.FLOAT64, dev.descent.tensor.Shape.of(2, 3, 4), 0, 1));
        Path file = dir.resolve("t.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "descent"));
        SafeTensors.Contents back = SafeTensors.readContents(file);
        assertSameTensors(tensors, back.tensors());
        assertEquals(Map.of("format", "descent"), back.metadata());
    }

    @Test
    void headerIsPaddedSoDataStartsAtMultipleOfEight() throws IOException {
        for (String name : List.of("a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh")) {
            Path file = dir.resolve(name + ".safetensors");
            SafeTensors.write(file, Map.of(name, Tensor.ones(1)), Map.of());
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            long n = bytes.getLong();
            assertEquals(0, (8 + n) % 8, name);
            assertEquals(8 + n + 4, bytes.capacity());
        }
    }

    @Test
    void bytesFollowTheSpec() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, Map.of("a", Tensor.of(new float[] {1.0f, -2.0f}, 2)), Map.of());
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes, padded to 56
        byte[] expected = new byte[8 + 56 + 8];
        expected[0] = 56;
        byte[] json = (header + "  ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, expected, 8, 56);
        byte[] data = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}; // 1.0f = 0x3F800000, -2.0f = 0xC0000000
        System.arraycopy(data, 0, expected, 64, 8);
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void readsAHandBuiltFileWithMetadataAndSpacePadding() throws IOException {
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}   ";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xE0, 0x3F}); // 0.5
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, buf.array());
        SafeTensors.Contents c = SafeTensors.readContents(file);
        assertEquals(Map.of("k", "v"), c.metadata());
        Tensor b = c.tensors().get("b");
        assertEquals(DType.FLOAT64, b.dtype());
        assertEquals(0, b.rank());
        assertEquals(0.5, b.item());
    }

    private Path validFile() {
        Path file = dir.resolve("ok.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.ones(2, 2));
        tensors.put("b", Tensor.ones(2));
        SafeTensors.write(file, tensors, Map.of());
        return file;
    }

    private Path withHeader(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, buf.array());
        return file;
    }

    private static void assertCorrupt(Path file, String problem) {
        DescentException e = assertThrows(DescentException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith("cannot read " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the file is corrupt or not a safetensors file; re-save the checkpoint"),
                e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void truncatedFilesAreReported() throws IOException {
        Path file = validFile();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertCorrupt(file, "data_offsets [16, 24] outside the 21 data bytes");
        Files.write(file, Arrays.copyOf(bytes, 5));
        assertCorrupt(file, "too short");
        Files.write(file, Arrays.copyOf(bytes, 20));
        assertCorrupt(file, "exceeds the file size");
    }

    @Test
    void hugeHeaderLengthIsReported() throws IOException {
        Path file = validFile();
        byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, 0, 8, (byte) 0xFF);
        Files.write(file, bytes);
        assertCorrupt(file, "header length 18446744073709551615 exceeds the file size");
    }

    @Test
    void badHeadersAreReported() throws IOException {
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",", 0), "header is not valid JSON (line 1:");
        assertCorrupt(withHeader("[1]", 0), "header is not a JSON object");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 8),
                "outside the 8 data bytes");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "has 8 bytes but shape [3] of FLOAT32 needs 12");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap another tensor");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "no tensor covers data bytes [0, 4)");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), "bad shape");
        assertCorrupt(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8]}}", 8), "bad data_offsets");
    }

    @Test
    void deeplyNestedHeadersAreRefusedInOneLine() throws IOException {
        assertCorrupt(withHeader("{\"w\":" + "[".repeat(100_000), 0),
                "header is not valid JSON (line 1:517: arrays and objects nested more than 512 levels deep)");
    }

    /**
     * A file of {@code count} tensors of {@code elements} values of {@code dtype} each, sparse on disk: the
     * header is real, the data are holes.
     */
    private Path sparseFile(int count, long elements, String dtype, int bytesPerElement) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long bytes = elements * bytesPerElement;
        for (int i = 0; i < count; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"").append(dtype)
                    .append("\",\"shape\":[").append(elements).append("],\"data_offsets\":[").append(i * bytes)
                    .append(',').append((i + 1) * bytes).append("]}");
        }
        Path file = withHeader(header.append('}').toString(), 0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() + count * bytes);
        }
        return file;
    }

    @Test
    void tensorsLargerThanAnArrayOrTheMemoryAreRefusedBeforeReading() throws IOException {
        Path huge = sparseFile(1, Integer.MAX_VALUE, "F64", 8);
        String message = assertThrows(DescentException.class, () -> SafeTensors.read(huge)).getMessage();
        assertEquals("cannot read " + huge + ": tensor 't0' has 17179869176 bytes, more than one Java array holds"
                + " (2^31 − 9); split the tensor", message);
        long elements = 450_000_000; // 1.8 GB of float32
        int count = (int) (Runtime.getRuntime().maxMemory() / (4 * elements)) + 1;
        Path many = sparseFile(count, elements, "F32", 4);
        long[] allocated = new long[1];
        allocated[0] = Fuzz.bytesAllocatedBy(() -> {
            String tooMuch = assertThrows(DescentException.class, () -> SafeTensors.read(many)).getMessage();
            assertTrue(tooMuch.startsWith("cannot read " + many + ": its " + String.format(Locale.ROOT, "%.1f", count * 1.8)
                    + " GB of tensors need more than the "), tooMuch);
        });
        assertTrue(allocated[0] < 16 << 20, allocated[0] + " bytes allocated");
    }

    @Test
    void unknownDtypeNamesTheSupportedOnes() throws IOException {
        Path file = withHeader("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        DescentException e = assertThrows(DescentException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("dtype BF16, Descent reads F32 and F64 only"), e.getMessage());
    }

    @Test
    void missingFileIsReported() {
        DescentException e = assertThrows(DescentException.class, () -> SafeTensors.read(dir.resolve("nope.safetensors")));
        assertTrue(e.getMessage().startsWith("no safetensors file at"), e.getMessage());
    }
}
