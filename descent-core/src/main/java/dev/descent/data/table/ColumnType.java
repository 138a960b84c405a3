package dev.descent.data.table;

/**
 * What a column holds, and so how it is encoded: {@link #NUMERIC} columns are standardized,
 * {@link #CATEGORICAL} columns one-hot encoded, {@link #BOOLEAN} columns become one 0/1 column.
 */
public enum ColumnType {
    /** Real numbers ({@code 3}, {@code -1.5e3}). */
    NUMERIC,
    /** A value from a finite set of labels ({@code red}, {@code green}). */
    CATEGORICAL,
    /** Two values, {@code true/false}, {@code yes/no} or {@code t/f}, in any case. */
    BOOLEAN;

    /**
     * The type every non-missing value of a column fits: BOOLEAN when all are true/false,
     * yes/no or t/f words, NUMERIC when all are decimal numbers, CATEGORICAL otherwise (and for a
     * column with no values at all).
     */
    public static ColumnType infer(Iterable<String> values) {
        boolean numeric = true, bool = true, any = false;
        for (String v : values) {
            if (v == null) {
                continue;
            }
            any = true;
            numeric &= Cells.isNumber(v);
            bool &= Cells.isBoolean(v);
            if (!numeric && !bool) {
                return CATEGORICAL;
            }
        }
        return !any ? CATEGORICAL : bool ? BOOLEAN : numeric ? NUMERIC : CATEGORICAL;
    }
}
