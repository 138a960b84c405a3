package dev.descent.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.descent.DescentException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads from mirrors served on 127.0.0.1; never contacts the internet. */
class DownloadTest {
    private static final Map<String, byte[]> FILES = new HashMap<>();
    private static HttpServer server;
    private static URI good, corrupt, missing, closed;

    @TempDir
    Path home;

    @BeforeAll
    static void serve() throws IOException {
        for (String name : Mnist.FILES) {
            FILES.put(name, Files.readAllBytes(TestData.mnist().resolve(name)));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good/", ex -> reply(ex, 200, FILES.get(fileName(ex))));
        server.createContext("/corrupt/", ex -> reply(ex, 200, "not the real file".getBytes()));
        server.createContext("/missing/", ex -> reply(ex, 404, new byte[0]));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        good = URI.create(base + "/good/");
        corrupt = URI.create(base + "/corrupt/");
        missing = URI.create(base + "/missing/");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mnist/");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String fileName(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private Mnist.Locator locator(URI... mirrors) {
        return new Mnist.Locator(null, Map.of(), home, List.of(mirrors), new PrintStream(progress, true));
    }

    @Test
    void downloadsIntoTheCacheFallingThroughBadMirrors() throws IOException {
        Path folder = locator(closed, missing, corrupt, good).locate();
        assertEquals(home.resolve(".cache/descent/mnist"), folder);
        for (String name : Mnist.FILES) {
            assertArrayEquals(FILES.get(name), Files.readAllBytes(folder.resolve(name)), name);
        }
        assertEquals(List.of(), leftovers(folder));
        String log = progress.toString();
        assertTrue(log.contains("100%"), log);
        assertTrue(log.contains("HTTP status 404"), log);
        assertTrue(log.contains("checksum mismatch"), log);
        assertEquals(folder, locator().locate());
    }

    @Test
    void aCorruptDownloadLeavesNoFileAndSaysSo() throws IOException {
        DescentException e = assertThrows(DescentException.class, () -> locator(corrupt).locate());
        assertTrue(e.getMessage().contains("checksum mismatch, md5 "), e.getMessage());
        assertTrue(e.getMessage().contains("instead of " + Mnist.MD5.get(Mnist.TRAIN_IMAGES)), e.getMessage());
        Path cache = home.resolve(".cache/descent/mnist");
        assertFalse(Files.exists(cache.resolve(Mnist.TRAIN_IMAGES)));
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void noReachableMirrorGivesOneLineSayingWhereToPutTheFiles() {
        String message = assertThrows(DescentException.class, () -> locator(closed).locate()).getMessage();
        assertFalse(message.contains("\n"), message);
        for (String part : List.of("MNIST was not found and could not be downloaded", closed.toString(),
                String.join(", ", Mnist.FILES), home.resolve(".cache/descent/mnist").toString(), "DESCENT_DATA",
                "--data-dir")) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }

    private static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> !Mnist.FILES.contains(f.getFileName().toString())).toList();
        }
    }
}
