package dev.descent.io;

import dev.descent.DescentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) parser and writer over plain Java values.
 *
 * <p>Values map as follows: objects ↔ {@code Map<String, Object>} ({@link LinkedHashMap} on
 * read, key order kept), arrays ↔ {@code List<Object>}, strings ↔ {@link String}, numbers ↔
 * {@link Long} (no fraction and no exponent, within the long range) or {@link Double}
 * (otherwise), {@code true}/{@code false} ↔ {@link Boolean}, {@code null} ↔ {@code null}.
 *
 * <p>On write, any {@link Number} and {@code int[]}, {@code long[]}, {@code float[]} and
 * {@code double[]} arrays are accepted too. A double is written in the shortest form that
 * parses back to the identical double ({@link Double#toString}); a float is widened through
 * its shortest decimal form, so {@code 0.1f} writes {@code 0.1}. JSON has no NaN or infinity:
 * those are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"},
 * and {@link #toDouble(Object)} reads such strings back.
 *
 * <p>The parser rejects anything outside the grammar (trailing commas, comments, single
 * quotes, leading zeros, duplicate keys, trailing content), numbers beyond the double range
 * ({@code 1e999}) and arrays and objects nested more than {@value #MAX_DEPTH} levels deep with a
 * {@link SyntaxError} giving the line and column.
 */
public final class Json {
    /** The deepest nesting of arrays and objects the parser accepts (RFC 8259 §9 lets parsers set one). */
    public static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    // ================================================================ reading

    /** Parses one JSON value (the whole text, surrounding whitespace allowed). */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the value");
        }
        return value;
    }

    /** Parses a JSON object, failing when the text holds any other kind of value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new DescentException("expected a JSON object {...}, got " + (v == null ? "null" : v.getClass().getSimpleName())
                    + "; give a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{', '[' -> {
                if (++depth > MAX_DEPTH) {
                    throw error("arrays and objects nested more than " + MAX_DEPTH + " levels deep");
                }
                Object container = c == '{' ? object() : array();
                depth--;
                yield container;
            }
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyPos = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value();
            if (map.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string (escape it)");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            char e = peek();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 5 > text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    int code = 0;
                    for (int i = 1; i <= 4; i++) {
                        int d = Character.digit(text.charAt(pos + i), 16);
                        if (d < 0) {
                            throw error("bad hex digit in \\u escape");
                        }
                        code = code * 16 + d;
                    }
                    sb.append((char) code);
                    pos += 4;
                }
                default -> throw error("bad escape '\\" + e + "'");
            }
            pos++;
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in number");
            }
        } else {
            digits();
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooBig) {
                // a whole number beyond the long range is read as a double, like a fraction
            }
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("the number " + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                    + " is beyond the range of doubles (±1.8e308)");
        }
        return d;
    }

    private void digits() {
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of input, expected '" + c + "'"
                    : "expected '" + c + "' but found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private SyntaxError error(String problem) {
        int line = 1, col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SyntaxError("line " + line + ":" + col + ": " + problem);
    }

    /**
     * A text that breaks the JSON grammar. The message reads {@code invalid JSON at line L:C:
     * problem; fix the JSON text}; {@link #where()} gives just {@code line L:C: problem}, for
     * callers that name the file and their own fix.
     */
    public static final class SyntaxError extends DescentException {
        private final String where;

        private SyntaxError(String where) {
            super("invalid JSON at " + where + "; fix the JSON text");
            this.where = where;
        }

        /** {@code line L:C: problem}. */
        public String where() {
            return where;
        }
    }

    // ================================================================ writing

    /** Compact one-line JSON (no newline inside; suits JSON Lines). */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        emit(sb, value, null, 0);
        return sb.toString();
    }

    /** Indented JSON, two spaces per level, ending without a newline. */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        emit(sb, value, "  ", 0);
        return sb.toString();
    }

    private static void emit(StringBuilder sb, Object v, String indent, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> number(sb, d);
            case Float f -> number(sb, Double.parseDouble(Float.toString(f)));
            case Long l -> sb.append(l);
            case Integer i -> sb.append(i);
            case Short s -> sb.append(s);
            case Byte b -> sb.append(b);
            case Number n -> number(sb, n.doubleValue());
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    first = separator(sb, first, indent, depth + 1);
                    quote(sb, key);
                    sb.append(indent == null ? ":" : ": ");
                    emit(sb, e.getValue(), indent, depth + 1);
                }
                close(sb, '}', first, indent, depth);
            }
            case Iterable<?> list -> {
                sb.append('[');
                boolean first = true;
                for (Object item : list) {
                    first = separator(sb, first, indent, depth + 1);
                    emit(sb, item, indent, depth + 1);
                }
                close(sb, ']', first, indent, depth);
            }
            case int[] a -> emit(sb, Arrays.stream(a).boxed().toList(), indent, depth);
            case long[] a -> emit(sb, Arrays.stream(a).boxed().toList(), indent, depth);
            case double[] a -> emit(sb, Arrays.stream(a).boxed().toList(), indent, depth);
            case float[] a -> {
                List<Float> list = new ArrayList<>(a.length);
                for (float f : a) {
                    list.add(f);
                }
                emit(sb, list, indent, depth);
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName()
                    + " as JSON; convert it to a map, list, string, number or boolean");
        }
    }

    private static boolean separator(StringBuilder sb, boolean first, String indent, int depth) {
        if (!first) {
            sb.append(',');
        }
        newline(sb, indent, depth);
        return false;
    }

    private static void close(StringBuilder sb, char bracket, boolean empty, String indent, int depth) {
        if (!empty) {
            newline(sb, indent, depth);
        }
        sb.append(bracket);
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(depth));
        }
    }

    private static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            quote(sb, Double.toString(d));
        } else {
            sb.append(d);
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ================================================================ conversion helpers

    /**
     * A parsed number as a double: a {@link Number}, or one of the strings {@code "NaN"},
     * {@code "Infinity"}, {@code "-Infinity"} this writer uses for non-finite values.
     */
    public static double toDouble(Object value) {
        return switch (value) {
            case Number n -> n.doubleValue();
            case String s when s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") ->
                    Double.parseDouble(s);
            case null, default -> throw new DescentException("expected a number in JSON, got " + value
                    + "; fix the JSON value");
        };
    }

    /** A parsed list of whole numbers as an {@code int[]}. */
    public static int[] toIntArray(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new DescentException("expected a JSON array of integers, got " + value + "; fix the JSON value");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l != (int) (long) l) {
                throw new DescentException("expected a JSON array of integers, got " + value + "; fix the JSON value");
            }
            out[i] = (int) (long) l;
        }
        return out;
    }
}
