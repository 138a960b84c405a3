package dev.descent.data.text;

import dev.descent.DescentException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The characters of a character-level language model: the distinct Unicode code points of a
 * text, sorted, character {@code k} having id {@code k}. A model's checkpoint keeps it as JSON
 * config ({@link #toConfig()}, {@link #fromConfig(Map)}), the characters written as one string.
 */
public final class Vocabulary {
    private final int[] codePoints;

    private Vocabulary(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
    }

    /** The vocabulary of {@code text}: its distinct characters in code point order. */
    public static Vocabulary of(String text) {
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        if (distinct.length == 0) {
            throw new DescentException("cannot build a character vocabulary from an empty text; give a text file with"
                    + " some characters in it");
        }
        return new Vocabulary(distinct);
    }

    /** The number of characters, V. */
    public int size() {
        return codePoints.length;
    }

    /** The id of a character, or -1 when it is not in the vocabulary. */
    public int id(int codePoint) {
        int at = Arrays.binarySearch(codePoints, codePoint);
        return at >= 0 ? at : -1;
    }

    /** The character with id {@code id}, as a string (one code point). */
    public String character(int id) {
        return Character.toString(codePoints[id]);
    }

    /**
     * The ids of the characters of {@code text}; characters outside the vocabulary are a
     * {@link DescentException} naming each of them once.
     */
    public int[] encode(String text) {
        int[] points = text.codePoints().toArray(), ids = new int[points.length];
        java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
        for (int i = 0; i < points.length; i++) {
            ids[i] = id(points[i]);
            if (ids[i] < 0) {
                unknown.add(describe(points[i]));
            }
        }
        if (!unknown.isEmpty()) {
            throw new DescentException((unknown.size() == 1 ? "the character " : "the characters ") + String.join(", ", unknown)
                    + (unknown.size() == 1 ? " is" : " are") + " not in the model's vocabulary of " + size()
                    + " characters; use characters of its training text");
        }
        return ids;
    }

    /** The text of the given ids. */
    public String decode(int... ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    /** {@code 'x'} for a printable character, its code point ({@code U+000A}) otherwise. */
    static String describe(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? String.format("U+%04X", codePoint) : "'" + Character.toString(codePoint) + "'";
    }

    /** {@code {"characters": "<every character in id order>"}}. */
    public Map<String, Object> toConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("characters", decode(java.util.stream.IntStream.range(0, size()).toArray()));
        return config;
    }

    /** The vocabulary that {@link #toConfig()} wrote. */
    public static Vocabulary fromConfig(Map<String, Object> config) {
        if (!(config.get("characters") instanceof String characters) || characters.isEmpty()) {
            throw new DescentException("the vocabulary config has no \"characters\" string; the checkpoint is damaged"
                    + " or not a character model's");
        }
        int[] points = characters.codePoints().toArray();
        int[] sorted = Arrays.stream(points).distinct().sorted().toArray();
        if (!Arrays.equals(points, sorted)) {
            throw new DescentException("the vocabulary config's characters are not distinct and in order; the checkpoint"
                    + " is damaged");
        }
        return new Vocabulary(points);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " characters)";
    }
}
