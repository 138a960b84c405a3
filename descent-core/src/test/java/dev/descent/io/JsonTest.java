package dev.descent.io;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void nestedValuesRoundTripCompactAndPretty() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", List.of(true, false, "x"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "héllo ∑ 😀");
        value.put("escapes", "q\" b\\ n\n t\t c\u0001 /");
        value.put("nested", inner);
        value.put("empty", Map.of());
        value.put("list", List.of());
        value.put("nothing", null);
        value.put("big", Long.MIN_VALUE);
        String compact = Json.write(value);
        assertFalse(compact.contains("\n"));
        assertEquals(value, Json.parse(compact));
        assertEquals(value, Json.parse(Json.pretty(value)));
        assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) ((Map<?, ?>) Json.parse(compact)).get("nested")).keySet()));
    }

    @Test
    void doublesReadBackBitForBit() {
        double[] values = {0.1, 1e-300, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1.0 / 3, 123456789.125, 1e22, -2.5e-8};
        for (double d : values) {
            Object back = Json.parse(Json.write(d));
            assertInstanceOf(Double.class, back);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back), "for " + d);
        }
        assertEquals(List.of(0.1, 1.5), Json.parse(Json.write(new double[] {0.1, 1.5})));
    }

    @Test
    void integersParseAsLongAndOtherNumbersAsDouble() {
        assertEquals(List.of(3L, -4L, 3.0, 1e2, 2.5), Json.parse("[3, -4, 3.0, 1e2, 2.5]"));
        assertEquals("[1,2,3]", Json.write(new int[] {1, 2, 3}));
        assertEquals("0.1", Json.write(0.1f));
        assertEquals("[0.1,0.2]", Json.write(new float[] {0.1f, 0.2f}));
    }

    @Test
    void nonFiniteDoublesAreWrittenAsStrings() {
        assertEquals("[\"NaN\",\"Infinity\",\"-Infinity\"]",
                Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
        assertTrue(Double.isNaN(Json.toDouble(Json.parse("\"NaN\""))));
        assertEquals(Double.NEGATIVE_INFINITY, Json.toDouble("-Infinity"));
        assertThrows(DescentException.class, () -> Json.toDouble("many"));
    }

    @Test
    void prettyIndentsTwoSpaces() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1L, 2L));
        value.put("b", Map.of());
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}", Json.pretty(value));
    }

    @Test
    void unicodeEscapesDecode() {
        assertEquals("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void errorsGiveLineAndColumn() {
        assertError("{\n  \"a\": 1,\n}", "line 3:1");
        assertError("[1, 2", "line 1:6");
        assertError("{\"a\": tru}", "line 1:7");
        assertError("[01]", "line 1:3");
        assertError("{\"a\": 1, \"a\": 2}", "line 1:10: duplicate key");
        assertError("[1] x", "line 1:5");
        assertError("\"tab\there\"", "line 1:5");
        assertError("", "line 1:1");
        assertError("[1.]", "line 1:4");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(deep, Json.write(Json.parse(deep)));
        assertError("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1),
                "line 1:513: arrays and objects nested more than 512 levels deep");
        assertError("{\"a\":".repeat(100_000), "line 1:2561: arrays and objects nested more than 512 levels deep");
    }

    @Test
    void numbersBeyondTheDoubleRangeAreRefused() {
        assertError("[1, 1e999]", "line 1:5: the number 1e999 is beyond the range of doubles");
        assertError("{\"lr\": -2E+308}", "line 1:8: the number -2E+308 is beyond the range of doubles");
        assertEquals(1.0E19, Json.parse("10000000000000000000"));
        assertEquals(0.0, Json.parse("1e-999"));
    }

    private static void assertError(String text, String expected) {
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("invalid JSON at " + expected), e.getMessage());
        assertTrue(e.getMessage().endsWith("; fix the JSON text"), e.getMessage());
    }

    @Test
    void conversionHelpers() {
        assertEquals(Arrays.toString(new int[] {1, 28, 28}), Arrays.toString(Json.toIntArray(Json.parse("[1,28,28]"))));
        assertThrows(DescentException.class, () -> Json.toIntArray(Json.parse("[1.5]")));
    }
}
