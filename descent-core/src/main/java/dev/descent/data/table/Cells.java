package dev.descent.data.table;

import dev.descent.DescentException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** How the text of one table cell is read: missing markers, numbers, booleans. */
public final class Cells {
    /** The texts that mean "no value" (as in pandas and ARFF): empty, ?, NA, N/A, NaN, nan, null, NULL. */
    public static final Set<String> MISSING = Set.of("", "?", "NA", "N/A", "NaN", "nan", "null", "NULL");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** The words of a boolean column, in lower case, read in any case: true, yes, t, and false, no, f. */
    public static final Set<String> TRUE_WORDS = Set.of("true", "yes", "t"), FALSE_WORDS = Set.of("false", "no", "f");

    private Cells() {
    }

    /** The cell's text trimmed, or null when it marks a missing value. */
    public static String normalize(String text) {
        String t = text.strip();
        return MISSING.contains(t) ? null : t;
    }

    /** Whether {@code v} is a decimal number: {@code 12}, {@code -0.5}, {@code .5}, {@code 1e-3}. */
    public static boolean isNumber(String v) {
        return NUMBER.matcher(v).matches();
    }

    /**
     * The value of the number {@code v} (a cell that {@link #isNumber} accepts) of cell
     * {@code (row, column)} of {@code table}; a value beyond the float32 range the networks compute
     * in, |v| > {@value Float#MAX_VALUE} (such as {@code 1e999}, which parses to infinity), fails
     * naming the cell.
     */
    static double number(Table table, int row, int column, String v) {
        double value = Double.parseDouble(v);
        if (!(Math.abs(value) <= Float.MAX_VALUE)) {
            throw new DescentException(table.where(row, column) + ": '" + v + "' is beyond the range of 32-bit floats"
                    + " (±3.4e38) the network computes in; fix the value or rescale the column");
        }
        return value;
    }

    /** Whether {@code v} is one of the boolean words, in any case. */
    public static boolean isBoolean(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return TRUE_WORDS.contains(l) || FALSE_WORDS.contains(l);
    }

    /** 1 for true/yes/t, 0 for false/no/f (any case). */
    static double booleanValue(String v) {
        return TRUE_WORDS.contains(v.toLowerCase(Locale.ROOT)) ? 1 : 0;
    }
}
