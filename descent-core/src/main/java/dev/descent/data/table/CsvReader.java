package dev.descent.data.table;

import dev.descent.DescentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads comma-separated values (RFC 4180): cells separated by the delimiter, rows by
 * {@code \n} or {@code \r\n}; a cell in double quotes may hold the delimiter, line breaks and
 * doubled quotes {@code ""} (one quote). Cells are trimmed, and {@link Cells#MISSING} texts
 * (empty, {@code ?}, {@code NA}, ...) become missing values. Blank lines are skipped. Without a
 * header row the columns are named by their 1-based position, {@code 1, 2, ...}. Every row must
 * have as many cells as the header.
 */
public final class CsvReader {
    /**
     * @param delimiter the cell separator, or null for the default (comma; tab for .tsv files)
     * @param header    whether the first row names the columns
     */
    public record Format(Character delimiter, boolean header) {
        public static final Format DEFAULT = new Format(null, true);

        char separator() {
            return delimiter == null ? ',' : delimiter;
        }
    }

    private CsvReader() {
    }

    /** Parses {@code text} read from the file {@code source}. */
    public static Table parse(String source, String text, Format format) {
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        char sep = format.separator();
        if (sep == '"' || sep == '\n' || sep == '\r') {
            throw new DescentException("the delimiter cannot be a quote or a line break; choose e.g. ',' ';' or tab");
        }
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false, cellWasQuoted = false;
        int line = 1, rowLine = 1, quoteLine = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            if (quoted) {
                if (i == n) {
                    throw new DescentException(source + " line " + quoteLine + ": a quoted cell is never closed; add the"
                            + " closing \" (a quote inside a quoted cell is written \"\")");
                }
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank() && !cellWasQuoted) {
                quoted = true;
                cellWasQuoted = true;
                cell.setLength(0);
                quoteLine = line;
            } else if (c == sep) {
                row.add(finish(cell, cellWasQuoted));
                cellWasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(finish(cell, cellWasQuoted));
                cellWasQuoted = false;
                boolean blank = row.size() == 1 && row.get(0) == null;
                if (!blank) {
                    rows.add(row.toArray(String[]::new));
                    lines.add(rowLine);
                }
                row = new ArrayList<>();
                line++;
                rowLine = line;
            } else {
                if (!cellWasQuoted) {
                    cell.append(c);
                } else if (!Character.isWhitespace(c)) {
                    throw new DescentException(source + " line " + line + ": text after a closing quote; quote the whole"
                            + " cell and write a quote inside it as \"\"");
                }
            }
        }
        if (rows.isEmpty()) {
            throw new DescentException(source + " is empty; give a table with " + (format.header() ? "a header row and " : "")
                    + "data rows");
        }
        List<String> names = new ArrayList<>();
        int first = 0;
        if (format.header()) {
            String[] header = rows.get(0);
            for (int c = 0; c < header.length; c++) {
                if (header[c] == null || header[c].isEmpty()) {
                    throw new DescentException(source + " line " + lines.get(0) + ": column " + (c + 1) + " of the header has"
                            + " no name; name every column, or pass --no-header if the file has no header row");
                }
                names.add(header[c]);
            }
            first = 1;
            if (rows.size() == 1) {
                throw new DescentException(source + " has a header row but no data rows; give it some rows of data");
            }
        } else {
            for (int c = 1; c <= rows.get(0).length; c++) {
                names.add(Integer.toString(c));
            }
        }
        String[][] cells = new String[rows.size() - first][];
        int[] rowLines = new int[cells.length];
        for (int r = first; r < rows.size(); r++) {
            String[] cellsOfRow = rows.get(r);
            if (cellsOfRow.length != names.size()) {
                throw new DescentException(source + " row " + (r - first + 1) + " (line " + lines.get(r) + ") has "
                        + cellsOfRow.length + " cells but the " + (format.header() ? "header has " : "first row has ")
                        + names.size() + " columns; make every row as long as the header (quote cells that contain '"
                        + (sep == '\t' ? "\\t" : String.valueOf(sep)) + "')");
            }
            cells[r - first] = cellsOfRow;
            rowLines[r - first] = lines.get(r);
        }
        return new Table(source, names, Map.of(), cells, rowLines);
    }

    private static String finish(StringBuilder cell, boolean quoted) {
        String raw = cell.toString();
        cell.setLength(0);
        if (quoted) {
            return raw.isEmpty() ? null : raw;
        }
        return Cells.normalize(raw);
    }
}
