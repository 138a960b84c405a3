package dev.descent.cli.serve;

/**
 * A request the server refuses with an HTTP status other than 400 (which a
 * {@link dev.descent.DescentException} gets): 404, 405, 413, 429, 503. The message is the one
 * line the client reads in {@code {"error": ...}}.
 */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
