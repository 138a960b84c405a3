package dev.descent;

/**
 * A problem caused by the user's input (a missing or corrupt file, a bad option value, a
 * shape that does not fit), not by a bug. Its message is one line that names the problem and
 * the fix; the command line prints it without a stack trace and exits with status 2.
 *
 * <p>Messages quote the user's text (a table cell, a JSON key, a file name), which may hold line
 * breaks and other control characters: the constructor writes those as escapes ({@code \n},
 * {@code \r}, {@code \t}, {@code \}{@code u001b}, ...), so the message stays one line and
 * cannot drive the terminal.
 */
public class DescentException extends RuntimeException {
    public DescentException(String message) {
        super(oneLine(message));
    }

    public DescentException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code text} with control characters and Unicode line separators written as escapes. */
    static String oneLine(String text) {
        if (text == null || text.chars().noneMatch(DescentException::needsEscape)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(needsEscape(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
