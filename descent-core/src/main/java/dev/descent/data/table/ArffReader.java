package dev.descent.data.table;

import dev.descent.DescentException;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Reads Weka's attribute-relation file format (ARFF): a header of {@code @relation} and
 * {@code @attribute NAME TYPE} lines, then {@code @data} rows. Types: {@code numeric},
 * {@code real}, {@code integer} (NUMERIC), nominal {@code {a, b, 'c d'}} (CATEGORICAL, values
 * checked against the list), {@code string} (CATEGORICAL) and {@code date [FORMAT]} (NUMERIC:
 * seconds since 1970-01-01 UTC; the format is a {@link SimpleDateFormat} pattern, by default
 * {@code yyyy-MM-dd'T'HH:mm:ss}). Keywords are case-insensitive; {@code %} starts a comment;
 * names and values may be quoted with {@code '} or {@code "}; {@code ?} is a missing value.
 * Sparse rows {@code {index value, ...}} list the non-zero cells by 0-based column index; the
 * cells left out are 0 (numeric) or the first label (nominal), as in Weka. A trailing instance
 * weight {@code ,{w}} is ignored.
 */
public final class ArffReader {
    private static final String DEFAULT_DATE = "yyyy-MM-dd'T'HH:mm:ss";

    private ArffReader() {
    }

    private record Attribute(String name, ColumnType type, List<String> labels, SimpleDateFormat date) {
    }

    /** Parses {@code text} read from the file {@code source}. */
    public static Table parse(String source, String text) {
        List<Attribute> attributes = new ArrayList<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        int i = 0;
        boolean data = false;
        for (; i < lines.length && !data; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("@relation")) {
                continue;
            } else if (lower.startsWith("@attribute")) {
                attributes.add(attribute(source, i + 1, line.substring("@attribute".length()).strip()));
            } else if (lower.startsWith("@data")) {
                data = true;
            } else {
                throw new DescentException(source + " line " + (i + 1) + ": expected @relation, @attribute or @data, got '"
                        + abbreviate(line) + "'; fix the ARFF header");
            }
        }
        if (attributes.isEmpty() || !data) {
            throw new DescentException(source + " is " + (text.isBlank() ? "empty" : "not an ARFF file: it has no "
                    + (attributes.isEmpty() ? "@attribute lines" : "@data line")) + "; give an ARFF file with @attribute"
                    + " declarations and a @data section");
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> rowLines = new ArrayList<>();
        for (; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("%")) {
                continue;
            }
            int row = rows.size() + 1;
            String[] cells = line.startsWith("{") ? sparse(source, i + 1, row, line, attributes)
                    : dense(source, i + 1, row, line, attributes);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = check(source, i + 1, row, attributes.get(c), cells[c]);
            }
            rows.add(cells);
            rowLines.add(i + 1);
        }
        if (rows.isEmpty()) {
            throw new DescentException(source + " has no data rows after @data; add some rows");
        }
        Map<String, ColumnType> declared = new LinkedHashMap<>();
        attributes.forEach(a -> declared.put(a.name(), a.type()));
        return new Table(source, attributes.stream().map(Attribute::name).toList(), declared,
                rows.toArray(String[][]::new), rowLines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Attribute attribute(String source, int line, String rest) {
        List<String> parts = tokens(source, line, rest, ' ', 2);
        if (parts.size() < 2) {
            throw new DescentException(source + " line " + line + ": an @attribute needs a name and a type; write e.g."
                    + " @attribute age numeric");
        }
        String name = parts.get(0), type = parts.get(1).strip();
        String lower = type.toLowerCase(Locale.ROOT);
        if (type.startsWith("{")) {
            if (!type.endsWith("}")) {
                throw new DescentException(source + " line " + line + ": the nominal values of '" + name + "' are not"
                        + " closed with }; write {a, b, c}");
            }
            List<String> labels = tokens(source, line, type.substring(1, type.length() - 1), ',', Integer.MAX_VALUE);
            return new Attribute(name, ColumnType.CATEGORICAL, labels, null);
        }
        if (lower.equals("numeric") || lower.equals("real") || lower.equals("integer")) {
            return new Attribute(name, ColumnType.NUMERIC, null, null);
        }
        if (lower.equals("string")) {
            return new Attribute(name, ColumnType.CATEGORICAL, null, null);
        }
        if (lower.startsWith("date")) {
            List<String> dateParts = tokens(source, line, type, ' ', 2);
            String pattern = dateParts.size() > 1 ? dateParts.get(1) : DEFAULT_DATE;
            SimpleDateFormat format;
            try {
                format = new SimpleDateFormat(pattern, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new DescentException(source + " line " + line + ": bad date format '" + pattern + "' ("
                        + e.getMessage() + "); use a SimpleDateFormat pattern such as yyyy-MM-dd", e);
            }
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            format.setLenient(false);
            return new Attribute(name, ColumnType.NUMERIC, null, format);
        }
        throw new DescentException(source + " line " + line + ": attribute '" + name + "' has the type '" + type
                + "', which is not supported; use numeric, integer, real, string, date or {nominal, values}");
    }

    private static String[] dense(String source, int line, int row, String text, List<Attribute> attributes) {
        List<String> cells = tokens(source, line, dropWeight(text), ',', Integer.MAX_VALUE);
        if (cells.size() != attributes.size()) {
            throw new DescentException(source + " row " + row + " (line " + line + ") has " + cells.size() + " values but "
                    + attributes.size() + " attributes are declared; give one value per attribute (? when missing)");
        }
        return cells.toArray(String[]::new);
    }

    private static String[] sparse(String source, int line, int row, String text, List<Attribute> attributes) {
        String body = dropWeight(text);
        if (!body.endsWith("}")) {
            throw new DescentException(source + " row " + row + " (line " + line + "): a sparse row must end with }; write"
                    + " {index value, ...}");
        }
        String[] cells = new String[attributes.size()];
        for (int c = 0; c < cells.length; c++) {
            Attribute a = attributes.get(c);
            cells[c] = a.labels() != null && !a.labels().isEmpty() ? a.labels().get(0) : a.type() == ColumnType.NUMERIC
                    && a.date() == null ? "0" : null;
        }
        String inner = body.substring(1, body.length() - 1).strip();
        if (inner.isEmpty()) {
            return cells;
        }
        for (String pair : tokens(source, line, inner, ',', Integer.MAX_VALUE)) {
            List<String> iv = tokens(source, line, pair, ' ', 2);
            int index = sparseIndex(iv);
            if (iv.size() != 2 || index < 0 || index >= cells.length) {
                throw new DescentException(source + " row " + row + " (line " + line + "): bad sparse entry '" + pair
                        + "'; write INDEX VALUE with a 0-based index below " + cells.length);
            }
            cells[index] = iv.get(1);
        }
        return cells;
    }

    /** The column index of a sparse entry {@code INDEX VALUE}, or -1 when it has none. */
    private static int sparseIndex(List<String> entry) {
        try {
            return entry.isEmpty() ? -1 : Integer.parseInt(entry.get(0));
        } catch (NumberFormatException notAnIndex) {
            return -1;
        }
    }

    /** The cell as the table stores it: null when missing, a date as epoch seconds; checked against its type. */
    private static String check(String source, int line, int row, Attribute a, String raw) {
        if (raw == null || raw.equals("?")) {
            return null;
        }
        String where = source + " row " + row + " (line " + line + "), column '" + a.name() + "'";
        if (a.date() != null) {
            try {
                return Long.toString(a.date().parse(raw).getTime() / 1000);
            } catch (ParseException e) {
                throw new DescentException(where + ": '" + raw + "' is not a date of the form " + a.date().toPattern()
                        + "; fix the value or the @attribute date format");
            }
        }
        if (a.type() == ColumnType.NUMERIC && !Cells.isNumber(raw)) {
            throw new DescentException(where + ": '" + raw + "' is not a number; fix the value or declare the attribute"
                    + " as string or nominal");
        }
        if (a.labels() != null && !a.labels().contains(raw)) {
            throw new DescentException(where + ": '" + raw + "' is not one of the declared values " + a.labels()
                    + "; fix the value or add it to the @attribute line");
        }
        return raw;
    }

    /** Splits on {@code sep} outside quotes (both ' and "), at most {@code limit} parts, unquoting and trimming each. */
    private static List<String> tokens(String source, int line, String text, char sep, int limit) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if ((c == '\'' || c == '"') && cur.toString().isBlank()) {
                quote = c;
                wasQuoted = true;
                cur.setLength(0);
            } else if ((sep == ' ' ? Character.isWhitespace(c) : c == sep) && out.size() < limit - 1) {
                if (sep != ' ' || !cur.isEmpty() || wasQuoted) {
                    out.add(wasQuoted ? cur.toString() : cur.toString().strip());
                }
                cur.setLength(0);
                wasQuoted = false;
            } else if (!(wasQuoted && Character.isWhitespace(c))) {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new DescentException(source + " line " + line + ": a quoted value is never closed; add the closing "
                    + quote);
        }
        if (!cur.isEmpty() || wasQuoted || (sep != ' ' && !out.isEmpty())) {
            out.add(wasQuoted ? cur.toString() : cur.toString().strip());
        }
        return out;
    }

    private static String dropWeight(String text) {
        if (text.endsWith("}")) {
            int open = text.lastIndexOf('{');
            int comma = text.lastIndexOf(',', open);
            if (open > 0 && comma >= 0 && text.substring(comma + 1, open).isBlank()) {
                return text.substring(0, comma).strip();
            }
        }
        return text;
    }

    private static String stripComment(String line) {
        return line.strip().startsWith("%") ? "" : line;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
