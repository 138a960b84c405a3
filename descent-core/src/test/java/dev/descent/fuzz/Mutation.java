package dev.descent.fuzz;

import dev.descent.DescentException;
import dev.descent.io.Json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One edit of a file's bytes, as a fuzzer makes them: positions are taken modulo the length
 * of the input they apply to, so every mutation applies to every input (an empty input is only
 * ever grown, by the insertions). Results longer than {@link #MAX_LENGTH} are cut.
 */
public sealed interface Mutation {
    /** The largest input a mutation makes. */
    int MAX_LENGTH = 1 << 20;
    /** The delimiters of text formats after which the insertions and replacements go (and after line breaks). */
    String DELIMITERS = ",;: {}[]()=\"'";

    /** The edited copy of {@code in} ({@code in} is not modified). */
    byte[] apply(byte[] in);

    /** Keeps the first {@code at mod (length + 1)} bytes. */
    record Truncate(int at) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return Arrays.copyOf(in, at % (in.length + 1));
        }
    }

    /** Flips bit {@code bit} of one byte. */
    record FlipBit(int at, int bit) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            byte[] out = in.clone();
            if (out.length > 0) {
                out[at % out.length] ^= (byte) (1 << bit);
            }
            return out;
        }
    }

    /**
     * Overwrites {@code width} bytes (1, 2, 4 or 8) with {@code value}, big- or little-endian:
     * the header numbers a reader trusts (sizes, counts, offsets).
     */
    record PutNumber(int at, long value, int width, boolean bigEndian) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            byte[] out = in.clone();
            ByteBuffer number = ByteBuffer.allocate(8).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            number.putLong(0, value);
            int from = bigEndian ? 8 - width : 0;
            for (int i = 0; i < width && out.length > 0; i++) {
                out[(at % out.length + i) % out.length] = number.get(from + i);
            }
            return out;
        }
    }

    /** Inserts {@code text} (a token of the format, as UTF-8) before position {@code at}. */
    record Insert(int at, String text) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return insert(in, at % (in.length + 1), text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Inserts {@code text} right after a line break or one of the {@link #DELIMITERS}, the
     * {@code occurrence mod count}-th one (at the start when there is none): where a format's
     * next cell, key or token begins.
     */
    record InsertAfterDelimiter(int occurrence, String text) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            List<Integer> after = delimitersEnds(in);
            int at = after.isEmpty() ? 0 : after.get(occurrence % after.size());
            return insert(in, at, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Replaces what follows a line break or one of the {@link #DELIMITERS}, the
     * {@code occurrence mod count}-th one, up to the next one, with {@code text}: a cell, a
     * value or an argument swapped for another (at the start when there is no delimiter).
     */
    record ReplaceAfterDelimiter(int occurrence, String text) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            List<Integer> after = delimitersEnds(in);
            int start = after.isEmpty() ? 0 : after.get(occurrence % after.size()), end = start;
            while (end < in.length && in[end] != '\n' && DELIMITERS.indexOf(in[end]) < 0) {
                end++;
            }
            byte[] rest = new byte[in.length - (end - start)];
            System.arraycopy(in, 0, rest, 0, start);
            System.arraycopy(in, end, rest, start, in.length - end);
            return insert(rest, start, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Edits a JSON document structurally (a no-op on anything else): the
     * {@code node mod count}-th value of the tree (pre-order, the root excluded) is removed, or
     * replaced by the JSON text {@code value} (a huge or negative number, a wrong type, deep
     * nesting, ...); the document is written back indented.
     */
    record JsonEdit(int node, boolean remove, String value) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            Object root;
            try {
                root = Json.parse(new String(in, StandardCharsets.UTF_8));
            } catch (DescentException notJson) {
                return in;
            }
            List<Runnable> edits = new ArrayList<>();
            collectEdits(root, edits);
            if (edits.isEmpty()) {
                return Json.pretty(Json.parse(value)).getBytes(StandardCharsets.UTF_8);
            }
            edits.get(node % edits.size()).run();
            return cut(Json.pretty(root).getBytes(StandardCharsets.UTF_8));
        }

        /** One edit (remove or replace) of each value inside {@code container}, recursively. */
        @SuppressWarnings("unchecked")
        private void collectEdits(Object container, List<Runnable> edits) {
            if (container instanceof Map<?, ?> map) {
                Map<String, Object> m = (Map<String, Object>) map;
                for (String key : List.copyOf(m.keySet())) {
                    edits.add(() -> {
                        if (remove) {
                            m.remove(key);
                        } else {
                            m.put(key, Json.parse(value));
                        }
                    });
                    collectEdits(m.get(key), edits);
                }
            } else if (container instanceof List<?> list) {
                List<Object> l = (List<Object>) list;
                for (int i = 0; i < l.size(); i++) {
                    int index = i;
                    edits.add(() -> {
                        if (remove) {
                            l.remove(index);
                        } else {
                            l.set(index, Json.parse(value));
                        }
                    });
                    collectEdits(l.get(i), edits);
                }
            }
        }
    }

    /** Copies up to {@code length} bytes from position {@code from} and inserts them before position {@code to}. */
    record CopyChunk(int from, int length, int to) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int p = from % in.length;
            return insert(in, to % (in.length + 1), Arrays.copyOfRange(in, p, p + Math.min(length, in.length - p)));
        }
    }

    /** Removes up to {@code length} bytes from position {@code at}. */
    record Remove(int at, int length) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int p = at % in.length, n = Math.min(length, in.length - p);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, p);
            System.arraycopy(in, p + n, out, p, in.length - p - n);
            return out;
        }
    }

    /**
     * Repeats the {@code length} bytes at {@code at} {@code times} times in place: deep nesting
     * ({@code [[[[}), long rows, many columns.
     */
    record Repeat(int at, int length, int times) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int p = at % in.length, n = Math.min(length, in.length - p);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in, 0, p);
            for (int t = 0; t < times && out.size() < MAX_LENGTH; t++) {
                out.write(in, p, n);
            }
            out.write(in, p + n, in.length - p - n);
            return cut(out.toByteArray());
        }
    }

    /** The positions right after each line break and delimiter of {@code in}. */
    private static List<Integer> delimitersEnds(byte[] in) {
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' || DELIMITERS.indexOf(in[i]) >= 0) {
                after.add(i + 1);
            }
        }
        return after;
    }

    /** {@code in} with {@code bytes} inserted before position {@code at} (0 to length). */
    private static byte[] insert(byte[] in, int at, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, at);
        out.writeBytes(bytes);
        out.write(in, at, in.length - at);
        return cut(out.toByteArray());
    }

    private static byte[] cut(byte[] bytes) {
        return bytes.length > MAX_LENGTH ? Arrays.copyOf(bytes, MAX_LENGTH) : bytes;
    }
}
