package dev.descent.data;

import dev.descent.DescentException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST, raw or gzip-compressed.
 *
 * <p>Layout: two zero bytes, a type byte ({@link #UBYTE}, {@link #BYTE}, {@link #SHORT},
 * {@link #INT}, {@link #FLOAT} or {@link #DOUBLE}), a rank byte {@code r} (1 to
 * {@link #MAX_RANK}), {@code r} dimensions as big-endian unsigned 32-bit integers, then exactly
 * {@code d0·d1·…·d(r-1)·elementSize} bytes of big-endian data in row-major order. A file is
 * read as gzip when it starts with the gzip magic bytes {@code 1f 8b}, whatever its name.
 * Every problem with a file is a {@link DescentException} naming the file, the problem and the fix.
 */
public final class Idx {
    /** Type byte: unsigned 8-bit integers. */
    public static final int UBYTE = 0x08;
    /** Type byte: signed 8-bit integers. */
    public static final int BYTE = 0x09;
    /** Type byte: signed big-endian 16-bit integers. */
    public static final int SHORT = 0x0B;
    /** Type byte: signed big-endian 32-bit integers. */
    public static final int INT = 0x0C;
    /** Type byte: big-endian IEEE 32-bit floats. */
    public static final int FLOAT = 0x0D;
    /** Type byte: big-endian IEEE 64-bit doubles. */
    public static final int DOUBLE = 0x0E;
    /** The largest rank accepted. */
    public static final int MAX_RANK = 4;

    private static final String REFETCH = "download it again or delete it so Descent re-downloads it";

    private Idx() {
    }

    /**
     * The contents of an IDX file: its type byte, its dimensions and its data bytes exactly as
     * stored (big-endian), {@code product(dims) · elementSize(type)} of them.
     */
    public record IdxArray(int type, int[] dims, byte[] data) {
        public IdxArray {
            dims = dims.clone();
            long expected = dataBytes(type, dims);
            if (data.length != expected) {
                throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " of type 0x"
                        + Integer.toHexString(type) + " need " + expected + " bytes, got " + data.length);
            }
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }

        /** The number of elements, the product of the dimensions. */
        public int count() {
            return data.length / elementSize(type);
        }

        /** The elements converted to floats (unsigned bytes become 0..255), row-major. */
        public float[] toFloatArray() {
            ByteBuffer in = ByteBuffer.wrap(data);
            float[] out = new float[count()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (type) {
                    case UBYTE -> data[i] & 0xFF;
                    case BYTE -> data[i];
                    case SHORT -> in.getShort(2 * i);
                    case INT -> in.getInt(4 * i);
                    case FLOAT -> in.getFloat(4 * i);
                    default -> (float) in.getDouble(8 * i);
                };
            }
            return out;
        }
    }

    /** Bytes per element of an IDX type byte; throws for an unknown type. */
    public static int elementSize(int type) {
        return switch (type) {
            case UBYTE, BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new IllegalArgumentException("unknown IDX type byte 0x" + Integer.toHexString(type));
        };
    }

    /** {@code elementSize · d0 · d1 · …}, or {@link Long#MAX_VALUE} when that overflows a long. */
    private static long dataBytes(int type, int[] dims) {
        long n = elementSize(type);
        for (int d : dims) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes. */
    public static IdxArray read(Path file) {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code maxItems} items (entries of the first dimension) of an IDX file, or
     * all when it holds fewer; the array's first dimension is the number read. The rest of the
     * file is checked (its length must match the header) but not kept, so a large file costs
     * only the memory of the items read. The header's sizes are checked against the file's length
     * (raw files) or the bytes the data actually holds (gzip) before any array is allocated.
     */
    public static IdxArray read(Path file, int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, got " + maxItems);
        }
        try {
            boolean gzip = isGzip(file);
            try (InputStream in = open(file, gzip)) {
                return read(file, new DataInputStream(in), maxItems, gzip ? -1 : Files.size(file));
            }
        } catch (ZipException e) {
            throw new DescentException(file + " is not a valid gzip file (" + e.getMessage() + "); " + REFETCH, e);
        } catch (EOFException e) {
            throw new DescentException(file + " is truncated inside its IDX header; " + REFETCH, e);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e + "); check that it exists and is readable", e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** Reads the header and the first {@code maxItems} items; {@code rawSize} is the file's length, or -1 for gzip. */
    private static IdxArray read(Path file, DataInputStream in, int maxItems, long rawSize) throws IOException {
        int zero0 = in.readUnsignedByte(), zero1 = in.readUnsignedByte();
        if (zero0 != 0 || zero1 != 0) {
            throw new DescentException(String.format("%s is not an IDX file: its magic number starts with %02x %02x"
                    + " instead of 00 00; %s", file, zero0, zero1, REFETCH));
        }
        int type = in.readUnsignedByte();
        if (type != UBYTE && type != BYTE && type != SHORT && type != INT && type != FLOAT && type != DOUBLE) {
            throw new DescentException(String.format("%s has unknown IDX type byte 0x%02x (expected 0x08 unsigned"
                    + " byte, 0x09, 0x0b, 0x0c, 0x0d or 0x0e); %s", file, type, REFETCH));
        }
        int rank = in.readUnsignedByte();
        if (rank < 1 || rank > MAX_RANK) {
            throw new DescentException(file + " has IDX rank " + rank + ", expected 1 to " + MAX_RANK + "; " + REFETCH);
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new DescentException(file + " declares dimension " + Integer.toUnsignedString(dims[i])
                        + ", too large to load; " + REFETCH);
            }
        }
        long expected = dataBytes(type, dims);
        if (rawSize >= 0 && rawSize - 4 - 4L * rank < expected) {
            throw truncated(file, type, dims, rawSize - 4 - 4L * rank);
        }
        int kept = Math.min(dims[0], maxItems);
        long keptBytes = dims[0] == 0 ? 0 : expected / dims[0] * kept;
        if (keptBytes > Integer.MAX_VALUE - 8) {
            throw new DescentException(file + " declares dims " + Arrays.toString(dims) + ": " + (kept == dims[0] ? "all "
                    : "the first ") + kept + " items are more than one Java array holds; read fewer items or split the file");
        }
        byte[] data = in.readNBytes((int) keptBytes);
        long rest = in.transferTo(OutputStream.nullOutputStream());
        if (data.length < keptBytes || rest < expected - keptBytes) {
            throw truncated(file, type, dims, data.length + rest);
        }
        if (rest > expected - keptBytes) {
            throw new DescentException(file + " has " + (rest - (expected - keptBytes)) + " trailing bytes after its "
                    + expected + " data bytes (dims " + Arrays.toString(dims) + "); " + REFETCH);
        }
        dims[0] = kept;
        return new IdxArray(type, dims, data);
    }

    private static DescentException truncated(Path file, int type, int[] dims, long found) {
        long expected = dataBytes(type, dims);
        return new DescentException(file + " is truncated: expected " + (expected == Long.MAX_VALUE ? "over 9.2e18"
                : Long.toString(expected)) + " data bytes (dims " + Arrays.toString(dims) + " of " + elementSize(type)
                + "-byte elements), found " + found + "; " + REFETCH);
    }

    /** Writes {@code array} as an IDX file, gzip-compressed when {@code gzip} is true. */
    public static void write(Path file, IdxArray array, boolean gzip) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream maybeGzip = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
             DataOutputStream out = new DataOutputStream(maybeGzip)) {
            out.writeShort(0);
            out.writeByte(array.type());
            out.writeByte(array.dims.length);
            for (int d : array.dims) {
                out.writeInt(d);
            }
            out.write(array.data());
        }
    }
}
