package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.data.Idx.IdxArray;
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
        assertMessage(file, "is truncated: expected 12 data bytes, found 5",
                "download it again or delete it so Descent re-downloads it");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        assertMessage(write(false, 0, 0, Idx.UBYTE, 3, 0, 0), "truncated inside its IDX header");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = write(false, 0, 0, Idx.UBYTE, 1, 0, 0, 0, 2, 9, 9, 9, 9);
        assertMessage(file, "has 2 trailing bytes after its 2 data bytes");
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
