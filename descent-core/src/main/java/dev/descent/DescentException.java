package dev.descent;

/**
 * A problem caused by the user's input (a missing or corrupt file, a bad option value, a
 * shape that does not fit), not by a bug. Its message is one line that names the problem and
 * the fix; the command line prints it without a stack trace and exits with status 2.
 */
public class DescentException extends RuntimeException {
    public DescentException(String message) {
        super(message);
    }

    public DescentException(String message, Throwable cause) {
        super(message, cause);
    }
}
