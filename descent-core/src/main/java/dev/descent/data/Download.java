package dev.descent.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Downloads a file from the first mirror that serves it with the expected md5. Each attempt
 * writes a temporary file in the target folder and renames it atomically to the final name
 * only once its checksum is right, so no partial or corrupt file ever has the final name.
 */
final class Download implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final PrintStream progress;

    Download(PrintStream progress) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.progress = progress;
    }

    /**
     * Fetches {@code name} from {@code base.resolve(name)} for each mirror in turn into
     * {@code dir/name}; throws an IOException listing every mirror's failure when none succeeds.
     */
    Path fetch(List<URI> mirrors, String name, String md5, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> failures = new ArrayList<>();
        for (URI base : mirrors) {
            URI uri = base.resolve(name);
            try {
                Path fetched = fetchOne(uri, name, md5, dir);
                if (!failures.isEmpty()) { // say why earlier mirrors were passed over; all failing is one error below
                    progress.println("descent: fetched " + name + " from " + base + " after: " + String.join("; ", failures));
                }
                return fetched;
            } catch (IOException e) {
                String reason = uri + ": " + describe(e);
                failures.add(reason);
            }
        }
        throw new IOException(String.join("; ", failures));
    }

    private Path fetchOne(URI uri, String name, String md5, Path dir) throws IOException {
        HttpResponse<InputStream> response = send(uri);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Path temp = Files.createTempFile(dir, name + ".", ".part");
            try {
                String actual = copy(body, temp, name, total);
                if (!actual.equals(md5)) {
                    throw new IOException("checksum mismatch, md5 " + actual + " instead of " + md5
                            + " (the download was deleted)");
                }
                return Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private HttpResponse<InputStream> send(URI uri) throws IOException {
        try {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Copies {@code in} to {@code file}, drawing a progress bar; returns the md5 of the bytes, in hex. */
    private String copy(InputStream in, Path file, String name, long total) throws IOException {
        MessageDigest digest = md5();
        ProgressBar bar = new ProgressBar(progress, name, total);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                bar.advance(n);
            }
        } finally {
            bar.finish();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

    /** An exception as one line: its type and message, whitespace collapsed. */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof IOException && e.getClass() == IOException.class ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    @Override
    public void close() {
        client.close();
    }

    /** {@code name [#####     ]  50%   4.9 / 9.9 MB} on one line, redrawn when the percentage changes. */
    private static final class ProgressBar {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final String name;
        private final long total;
        private long done;
        private int shown = -1;

        ProgressBar(PrintStream out, String name, long total) {
            this.out = out;
            this.name = name;
            this.total = total;
        }

        void advance(int bytes) {
            done += bytes;
            int percent = total > 0 ? (int) Math.min(100, 100 * done / total) : (int) (done >> 20);
            if (percent != shown) {
                shown = percent;
                draw();
            }
        }

        void finish() {
            draw();
            out.println();
        }

        private void draw() {
            if (total > 0) {
                int filled = (int) (WIDTH * Math.min(done, total) / total);
                out.printf("\r%s [%s%s] %3d%% %6.1f / %.1f MB", name, "#".repeat(filled), " ".repeat(WIDTH - filled),
                        100 * Math.min(done, total) / total, done / 1e6, total / 1e6);
            } else {
                out.printf("\r%s %6.1f MB", name, done / 1e6);
            }
            out.flush();
        }
    }
}
