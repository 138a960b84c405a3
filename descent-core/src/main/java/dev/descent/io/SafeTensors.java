package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.tensor.DType;
import dev.descent.tensor.DoubleStorage;
import dev.descent.tensor.FloatStorage;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so checkpoints open in Python ({@code safetensors.torch.load_file}) and back.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON {@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}; then the tensor bytes, row-major and little-endian, at
 * {@code [8 + N + begin, 8 + N + end)}. This writer puts the tensors in the map's order, packed
 * without gaps, and pads the header with spaces so the data starts at a multiple of 8.
 * Only {@code F32} ({@link DType#FLOAT32}) and {@code F64} ({@link DType#FLOAT64}) are supported.
 *
 * <p>The reader checks everything it relies on (header length, JSON, dtypes, shapes, offsets
 * inside the data and tiling it without overlap or gap, tensors that fit in memory) before it
 * reads any tensor, and reports a violation as a {@link DescentException} naming the file.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    /** The largest header accepted, as in the reference implementation (100 MB). */
    private static final long MAX_HEADER = 100_000_000;
    private static final String CORRUPT_FIX = "the file is corrupt or not a safetensors file; re-save the checkpoint";

    private SafeTensors() {
    }

    /** Tensors in file order and the string metadata of one safetensors file. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ================================================================ writing

    /** Atomically writes {@code tensors} (in iteration order) and {@code metadata} to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /** Writes the safetensors bytes of {@code tensors} and {@code metadata} to a stream. */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("bad safetensors tensor name '" + e.getKey() + "'");
            }
            Tensor t = e.getValue();
            long bytes = (long) t.size() * elementBytes(t.dtype());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", code(t.dtype()));
            entry.put("shape", t.dims());
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : tensors.values()) {
            out.write(encode(t.storage()).array());
        }
    }

    private static ByteBuffer encode(Storage storage) {
        ByteBuffer buf = ByteBuffer.allocate(storage.size() * elementBytes(storage.dtype())).order(ByteOrder.LITTLE_ENDIAN);
        switch (storage) {
            case FloatStorage f -> buf.asFloatBuffer().put(f.data());
            case DoubleStorage d -> buf.asDoubleBuffer().put(d.data());
        }
        return buf;
    }

    // ================================================================ reading

    /** Reads the tensors of {@code file}, in header order, keeping their dtypes. */
    public static LinkedHashMap<String, Tensor> read(Path file) {
        return readContents(file).tensors();
    }

    /** Reads the tensors and metadata of {@code file}. */
    public static Contents readContents(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file, channel).read();
        } catch (NoSuchFileException e) {
            throw new DescentException("no safetensors file at " + file + "; check the path");
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e + "); check that the file is readable", e);
        }
    }

    /** One read of one file; {@link #corrupt} names it in every error. */
    private record Reader(Path file, FileChannel channel) {
        Contents read() throws IOException {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw corrupt("file of " + fileSize + " bytes is too short for the 8-byte header length");
            }
            long headerLength = readFully(0, 8).getLong();
            if (headerLength < 0 || headerLength > fileSize - 8) {
                throw corrupt("header length " + Long.toUnsignedString(headerLength) + " exceeds the file size "
                        + fileSize);
            }
            if (headerLength < 2 || headerLength > MAX_HEADER) {
                throw corrupt("header length " + headerLength + " is outside [2, " + MAX_HEADER + "]");
            }
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder().decode(readFully(8, (int) headerLength)).toString();
            } catch (CharacterCodingException e) {
                throw corrupt("header is not valid UTF-8");
            }
            Object parsed;
            try {
                parsed = Json.parse(json);
            } catch (Json.SyntaxError e) {
                throw corrupt("header is not valid JSON (" + e.where() + ")");
            }
            if (!(parsed instanceof Map<?, ?> header)) {
                throw corrupt("header is not a JSON object");
            }
            long dataStart = 8 + headerLength, dataSize = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA)) {
                    metadata = metadata(e.getValue());
                } else {
                    entries.add(entry(name, e.getValue(), dataSize));
                }
            }
            checkTiling(entries, dataSize);
            checkMemory(entries, dataSize);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : entries) {
                ByteBuffer bytes = readFully(dataStart + entry.begin, (int) (entry.end - entry.begin));
                tensors.put(entry.name, Tensor.wrap(decode(entry.dtype, bytes, entry.shape.size()), entry.shape));
            }
            return new Contents(tensors, metadata);
        }

        private Map<String, String> metadata(Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                throw corrupt("__metadata__ is not a JSON object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw corrupt("__metadata__ value of '" + e.getKey() + "' is not a string");
                }
                out.put((String) e.getKey(), s);
            }
            return out;
        }

        private Entry entry(String name, Object value, long dataSize) {
            if (!(value instanceof Map<?, ?> info)) {
                throw corrupt("entry '" + name + "' is not a JSON object");
            }
            DType dtype = dtype(name, info.get("dtype"));
            Shape shape = Shape.of(shape(name, info.get("shape")));
            long[] offsets = longs(name, info.get("data_offsets"));
            long begin = offsets[0], end = offsets[1];
            if (begin > end || end > dataSize) {
                throw corrupt("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                        + "] outside the " + dataSize + " data bytes");
            }
            long expected = (long) shape.size() * elementBytes(dtype);
            if (end - begin != expected) {
                throw corrupt("tensor '" + name + "' has " + (end - begin) + " bytes but shape " + shape + " of "
                        + dtype + " needs " + expected);
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        private DType dtype(String name, Object code) {
            if ("F32".equals(code)) {
                return DType.FLOAT32;
            }
            if ("F64".equals(code)) {
                return DType.FLOAT64;
            }
            throw new DescentException("cannot read " + file + ": tensor '" + name + "' has dtype " + code
                    + ", Descent reads F32 and F64 only; convert it to float32 or float64 before loading");
        }

        private int[] shape(String name, Object value) {
            if (!(value instanceof List<?> list)) {
                throw corrupt("tensor '" + name + "' has a bad shape " + Json.write(value));
            }
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                    throw corrupt("tensor '" + name + "' has a bad shape " + Json.write(value));
                }
                out[i] = (int) (long) l;
            }
            long size = 1;
            for (int d : out) {
                size *= d;
                if (size > Integer.MAX_VALUE) {
                    throw corrupt("tensor '" + name + "' has more than 2^31 elements");
                }
            }
            return out;
        }

        private long[] longs(String name, Object value) {
            if (!(value instanceof List<?> list) || list.size() != 2
                    || !(list.get(0) instanceof Long begin) || !(list.get(1) instanceof Long end) || begin < 0) {
                throw corrupt("tensor '" + name + "' has bad data_offsets " + Json.write(value));
            }
            return new long[] {begin, end};
        }

        /** The byte ranges, sorted, must cover the data exactly: no overlap, no gap. */
        private void checkTiling(List<Entry> entries, long dataSize) {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long at = 0;
            for (Entry e : sorted) {
                if (e.begin < at) {
                    throw corrupt("tensor '" + e.name + "' data_offsets [" + e.begin + ", " + e.end
                            + "] overlap another tensor");
                }
                if (e.begin > at) {
                    throw corrupt("no tensor covers data bytes [" + at + ", " + e.begin + ")");
                }
                at = e.end;
            }
            if (at != dataSize) {
                throw corrupt("the data section has " + dataSize + " bytes but the tensors cover " + at);
            }
        }

        /**
         * Each tensor is read into a buffer of its bytes, then copied into its array: that needs
         * arrays of at most 2^31 − 9 bytes, and the data plus the largest tensor's bytes in memory.
         */
        private void checkMemory(List<Entry> entries, long dataSize) {
            Entry largest = entries.stream().max(Comparator.comparingLong(e -> e.end - e.begin)).orElse(null);
            if (largest == null) {
                return;
            }
            long largestBytes = largest.end - largest.begin;
            if (largestBytes > Integer.MAX_VALUE - 8) {
                throw new DescentException("cannot read " + file + ": tensor '" + largest.name + "' has " + largestBytes
                        + " bytes, more than one Java array holds (2^31 − 9); split the tensor");
            }
            long maxMemory = Runtime.getRuntime().maxMemory();
            if (dataSize + largestBytes > maxMemory) {
                throw new DescentException(String.format(Locale.ROOT, "cannot read %s: its %.1f GB of tensors need more"
                        + " than the %.1f GB this Java process may use; give Java more memory (-Xmx, e.g."
                        + " DESCENT_JAVA_OPTS=-Xmx16g)", file, dataSize / 1e9, maxMemory / 1e9));
            }
        }

        private ByteBuffer readFully(long position, int length) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) {
                if (channel.read(buf, position + buf.position()) < 0) {
                    throw corrupt("file ends early");
                }
            }
            return buf.flip();
        }

        private DescentException corrupt(String problem) {
            return new DescentException("cannot read " + file + ": " + problem + "; " + CORRUPT_FIX);
        }
    }

    private record Entry(String name, DType dtype, Shape shape, long begin, long end) {
    }

    private static Storage decode(DType dtype, ByteBuffer bytes, int size) {
        return switch (dtype) {
            case FLOAT32 -> {
                float[] data = new float[size];
                bytes.asFloatBuffer().get(data);
                yield new FloatStorage(data);
            }
            case FLOAT64 -> {
                double[] data = new double[size];
                bytes.asDoubleBuffer().get(data);
                yield new DoubleStorage(data);
            }
        };
    }

    private static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
        };
    }

    private static int elementBytes(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> Float.BYTES;
            case FLOAT64 -> Double.BYTES;
        };
    }
}
