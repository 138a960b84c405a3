package dev.descent.data.table;

import dev.descent.DescentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A table as read from a file: named columns of text cells, {@code null} where a value is
 * missing, and for each row the line of the file it came from (for error messages). Column
 * types are declared by the file (ARFF) or inferred from the values ({@link ColumnType#infer}).
 * Immutable; {@link #rows(int[])} makes a table of some of the rows.
 */
public final class Table {
    private final String source;
    private final List<String> names;
    private final Map<String, ColumnType> declared;
    private final String[][] cells;
    private final int[] lines;
    private final int[] rowNumbers;

    /**
     * @param source   the file name, for error messages
     * @param names    the column names, distinct
     * @param declared types the file declares (ARFF), by column name; other columns are inferred
     * @param cells    the rows, each with one cell per column, {@code null} for missing
     * @param lines    the 1-based line of the file each row starts on
     */
    public Table(String source, List<String> names, Map<String, ColumnType> declared, String[][] cells, int[] lines) {
        this(source, names, declared, cells, lines, java.util.stream.IntStream.rangeClosed(1, cells.length).toArray());
    }

    private Table(String source, List<String> names, Map<String, ColumnType> declared, String[][] cells, int[] lines,
                  int[] rowNumbers) {
        this.rowNumbers = rowNumbers;
        this.source = source;
        this.names = List.copyOf(names);
        this.declared = Map.copyOf(declared);
        this.cells = cells;
        this.lines = lines;
        for (int i = 0; i < names.size(); i++) {
            if (names.indexOf(names.get(i)) != i) {
                throw new DescentException(source + ": the column name '" + names.get(i) + "' appears twice in the header;"
                        + " give each column its own name");
            }
        }
    }

    public String source() {
        return source;
    }

    public List<String> names() {
        return names;
    }

    public int rowCount() {
        return cells.length;
    }

    public int columnCount() {
        return names.size();
    }

    /** The cell text, or null when missing. */
    public String cell(int row, int column) {
        return cells[row][column];
    }

    /** The 1-based file line row {@code row} (0-based) starts on. */
    public int line(int row) {
        return lines[row];
    }

    /**
     * "data.csv row 12 (line 13), column 'age'": where a cell is, for error messages; rows are
     * counted from 1 without the header, as in the file (also in a table of some of its rows).
     */
    public String where(int row, int column) {
        return source + " row " + rowNumbers[row] + " (line " + lines[row] + "), column '" + names.get(column) + "'";
    }

    /**
     * The index of a column by name; {@code last} names the last column unless a column is
     * called so. Fails with the list of columns when there is none of that name.
     */
    public int column(String name, String role) {
        return index(source, names, name, role);
    }

    /** {@link #column}'s rule over the column {@code names} of {@code source}. */
    private static int index(String source, List<String> names, String name, String role) {
        int i = names.indexOf(name);
        if (i < 0 && name.equals("last") && !names.isEmpty()) {
            return names.size() - 1;
        }
        if (i < 0) {
            throw new DescentException(role + " column '" + name + "' is not in " + source + "; its columns are: "
                    + preview(names) + (names.get(0).equals("1") ? " (without a header the columns are named 1, 2, ...)" : ""));
        }
        return i;
    }

    /**
     * The column's declared type, or the type inferred from its values. A column whose values
     * are numbers but for a few (under {@value #TYPO_SHARE} of them) is taken for a numeric column
     * with bad values and fails naming the first, rather than becoming a column of categories.
     */
    public ColumnType type(int column) {
        ColumnType t = declared.get(names.get(column));
        if (t != null) {
            return t;
        }
        ColumnType inferred = ColumnType.infer(values(column));
        if (inferred == ColumnType.CATEGORICAL) {
            int numbers = 0, present = 0, firstOther = -1;
            for (int r = 0; r < cells.length; r++) {
                String v = cells[r][column];
                if (v != null) {
                    present++;
                    if (Cells.isNumber(v)) {
                        numbers++;
                    } else if (firstOther < 0) {
                        firstOther = r;
                    }
                }
            }
            if (numbers > 0 && present - numbers < TYPO_SHARE * present) {
                throw new DescentException(where(firstOther, column) + ": '" + cells[firstOther][column] + "' is not a"
                        + " number, but " + numbers + " of the column's " + present + " values are; fix the value, or pass"
                        + " --categorical " + names.get(column) + " to treat the column as categories");
            }
        }
        return inferred;
    }

    /** Below this share of non-numbers, a column of numbers is numeric with bad values. */
    public static final double TYPO_SHARE = 0.05;

    /** The column's cells, top to bottom, {@code null} where missing. */
    public List<String> values(int column) {
        return new AbstractColumn(cells.length, r -> cells[r][column]);
    }

    /** A table of the given rows, in that order. */
    public Table rows(int[] rows) {
        String[][] sub = new String[rows.length][];
        int[] subLines = new int[rows.length], subNumbers = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            sub[i] = cells[rows[i]];
            subLines[i] = lines[rows[i]];
            subNumbers[i] = rowNumbers[rows[i]];
        }
        return new Table(source, names, declared, sub, subLines, subNumbers);
    }

    /**
     * The columns a run reads from a table of columns {@code names}: all of them when
     * {@code features} is empty, else the features followed by the {@code target} column (by
     * {@link #column}'s rule, {@code last} included) unless it is one of them.
     *
     * @throws DescentException naming a feature or target column that is not among {@code names}
     */
    public static List<String> selected(String source, List<String> names, List<String> features, String target) {
        if (features.isEmpty()) {
            return names;
        }
        List<String> keep = new ArrayList<>();
        for (String f : features) {
            keep.add(names.get(index(source, names, f, "feature")));
        }
        String t = names.get(index(source, names, target, "target"));
        if (!keep.contains(t)) {
            keep.add(t);
        }
        return keep;
    }

    /** A table of the named columns, in that order. */
    public Table columns(List<String> keep) {
        int[] at = keep.stream().mapToInt(name -> column(name, "selected")).toArray();
        String[][] sub = new String[cells.length][at.length];
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < at.length; c++) {
                sub[r][c] = cells[r][at[c]];
            }
        }
        return new Table(source, keep, declared, sub, lines, rowNumbers);
    }

    private static String preview(List<String> names) {
        List<String> shown = names.size() <= 12 ? names : new ArrayList<>(names.subList(0, 12));
        return String.join(", ", shown) + (names.size() > 12 ? ", ... (" + names.size() + " in all)" : "");
    }

    @Override
    public String toString() {
        return source + " (" + rowCount() + " rows × " + columnCount() + " columns: " + preview(names) + ")";
    }

    private static final class AbstractColumn extends java.util.AbstractList<String> {
        private final int size;
        private final IntFunction<String> get;

        AbstractColumn(int size, IntFunction<String> get) {
            this.size = size;
            this.get = get;
        }

        @Override
        public String get(int index) {
            return get.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
