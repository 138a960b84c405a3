package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.data.Idx.IdxArray;
import dev.descent.fuzz.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    @TempDir
    Path dir;

    private static final IdxArray UBYTES = new IdxArray(Idx.UBYTE, new int[] {2, 3},
            new byte[] {0, 1, 2, (byte) 200, (byte) 254, (byte) 255});

    @Test
    void roundTripsRawAndGzipWhateverTheName() throws IOException {
        Path raw = dir.resolve("a.gz"), gz = dir.resolve("b-idx2-ubyte");
        Idx.write(raw, UBYTES, false);
        Idx.write(gz, UBYTES, true);
        for (Path file : new Path[] {raw, gz}) {
            IdxArray read = Idx.read(file);
            assertEquals(Idx.UBYTE, read.type());
            assertArrayEquals(new int[] {2, 3}, read.dims());
            assertArrayEquals(new float[] {0, 1, 2, 200, 254, 255}, read.toFloatArray());
        }
        assertEquals(0x1f, Files.readAllBytes(gz)[0] & 0xFF);
    }

    @Test
    void convertsOtherTypesBigEndian() throws IOException {
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -3).putShort((short) 1000);
        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2f);
        ByteBuffer doubles = ByteBuffer.allocate(8).putDouble(0.25);
        ByteBuffer ints = ByteBuffer.allocate(4).putInt(-70000);
        assertArrays(Idx.SHORT, shorts, -3, 1000);
        assertArrays(Idx.FLOAT, floats, 1.5f, -2f);
        assertArrays(Idx.DOUBLE, doubles, 0.25f);
        assertArrays(Idx.INT, ints, -70000);
        assertArrays(Idx.BYTE, ByteBuffer.wrap(new byte[] {-5}), -5);
    }

    private void assertArrays(int type, ByteBuffer data, float... expected) throws IOException {
        Path file = dir.resolve("t" + type);
        Idx.write(file, new IdxArray(type, new int[] {expected.length}, data.array()), true);
        assertArrayEquals(expected, Idx.read(file).toFloatArray());
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path file = write(false, 1, 0, Idx.UBYTE, 1, 0, 0, 0, 1, 7);
        assertMessage(file, "is not an IDX file", "01 00", "download it again");
    }

    @Test
    void rejectsUnknownTypeByte() throws IOException {
        Path file = write(true, 0, 0, 0x0A, 1, 0, 0, 0, 1, 7);
        assertMessage(file, "unknown IDX type byte 0x0a", "download it again");
    }

    @Test
    void rejectsBadRank() throws IOException {
        assertMessage(write(false, 0, 0, Idx.UBYTE, 0), "rank 0");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        Path file = write(true, 0, 0, Idx.UBYTE, 2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 2, 3, 4, 5);
        assertMessage(file, "is truncated: expected 12 data bytes (dims [3, 4] of 1-byte elements), found 5",
                "download it again or delete it so Descent re-downloads it");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        assertMessage(write(false, 0, 0, Idx.UBYTE, 3, 0, 0), "truncated inside its IDX header");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = write(false, 0, 0, Idx.UBYTE, 1, 0, 0, 0, 2, 9, 9, 9, 9);
        assertMessage(file, "has 2 trailing bytes after its 2 data bytes (dims [2])");
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRefused() throws IOException {
        int big = Integer.MAX_VALUE;
        assertMessage(write(false, header(Idx.DOUBLE, big, big, big, big)),
                "is truncated: expected over 9.2e18 data bytes (dims [2147483647, 2147483647, 2147483647, 2147483647]"
                        + " of 8-byte elements), found 0");
        assertMessage(write(true, header(Idx.UBYTE, 1, 65536, 65536)), "declares dims [1, 65536, 65536]: all 1 items are"
                + " more than one Java array holds");
    }

    @Test
    void aClaimOfMillionsOfImagesIsCheckedAgainstTheFileBeforeAllocating() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            int[] bytes = Arrays.copyOf(header(Idx.UBYTE, 2_550_000, 28, 28), 16 + 2 * 784);
            Path file = write(gzip, bytes);
            long allocated = Fuzz.bytesAllocatedBy(() -> assertMessage(file,
                    "is truncated: expected 1999200000 data bytes (dims [2550000, 28, 28] of 1-byte elements), found 1568"));
            assertTrue(allocated < 4 << 20, allocated + " bytes allocated");
            long limited = Fuzz.bytesAllocatedBy(() -> assertThrows(DescentException.class, () -> Idx.read(file, 2)));
            assertTrue(limited < 4 << 20, limited + " bytes allocated");
        }
    }

    @Test
    void readsOnlyTheFirstItemsButChecksTheWholeFile() throws IOException {
        Path file = dir.resolve("images.gz");
        Idx.write(file, new IdxArray(Idx.UBYTE, new int[] {4, 1, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), true);
        IdxArray first = Idx.read(file, 3);
        assertArrayEquals(new int[] {3, 1, 2}, first.dims());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, first.toFloatArray());
        assertArrayEquals(new int[] {4, 1, 2}, Idx.read(file, 10).dims());
        Path truncated = write(true, 0, 0, Idx.UBYTE, 3, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7);
        String message = assertThrows(DescentException.class, () -> Idx.read(truncated, 1)).getMessage();
        assertTrue(message.contains("is truncated: expected 8 data bytes (dims [4, 1, 2] of 1-byte elements), found 7"),
                message);
    }

    /** The header bytes of an IDX file of {@code type} with dimensions {@code dims}. */
    private static int[] header(int type, int... dims) {
        int[] bytes = new int[4 + 4 * dims.length];
        bytes[2] = type;
        bytes[3] = dims.length;
        for (int i = 0; i < dims.length; i++) {
            for (int b = 0; b < 4; b++) {
                bytes[4 + 4 * i + b] = dims[i] >>> (24 - 8 * b) & 0xFF;
            }
        }
        return bytes;
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        Path file = dir.resolve("bad.gz");
        Files.write(file, new byte[] {0x1f, (byte) 0x8b, 0, 0, 0});
        assertMessage(file, "bad.gz is not a valid gzip file");
    }

    private Path write(boolean gzip, int... bytes) throws IOException {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        Path file = dir.resolve("f" + Arrays.hashCode(bytes) + (gzip ? ".gz" : ""));
        try (var out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(data);
        }
        return file;
    }

    private static void assertMessage(Path file, String... parts) {
        String message = assertThrows(DescentException.class, () -> Idx.read(file)).getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(!message.contains("\n"), message);
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }
}
