package dev.descent.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.descent.Descent;
import dev.descent.DescentException;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.train.Prediction;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server for a model's predictions, speaking the REST protocol of TensorFlow Serving
 * and KServe v1:
 * <pre>
 *   POST /v1/models/NAME:predict   {"instances": [...]}  →  {"predictions": [...]}
 *   GET  /v1/models/NAME           status and metadata
 *   GET  /health                   {"status": "ok"}
 * </pre>
 * A classifier's prediction is {@code {"class": k, "class_name": "...", "probabilities": [...]}}
 * (probabilities in class order), a regressor's {@code {"value": v}}: the numbers
 * {@code descent predict --json} prints for the same input. Concurrent requests are predicted
 * together in one forward pass ({@link Batcher}). Every refusal is a status and one line,
 * {@code {"error": "..."}}: 400 for a malformed request, 404 for another path or model name, 405
 * for another method, 413 for a body or a request beyond the limits, 429 when the queue is full,
 * 503 while shutting down; a bug answers 500 and prints its stack trace on the server's standard
 * error, never to the client.
 *
 * <p>It runs on the JDK's own HTTP server with one virtual thread per exchange: no dependency,
 * and a request waiting for its batch costs a few kilobytes, not a platform thread.
 * {@link #close()} stops gracefully: the listening socket closes, requests in flight are
 * answered (for up to the grace period), then the batcher stops.
 */
public final class PredictionServer implements AutoCloseable {
    private static final String MODELS = "/v1/models/";
    /** The most bytes of a body beyond the limit read and thrown away before answering 413. */
    private static final long DISCARDED_BYTES = 64L << 20;

    /**
     * How the server listens and its limits.
     *
     * @param host          the address to bind (127.0.0.1: this machine only)
     * @param port          the port, 0 for any free one
     * @param name          the model's name in the URLs
     * @param maxBodyBytes  the largest request body read
     * @param maxBatch      the most instances in one forward pass (and in one request)
     * @param maxQueue      the most instances waiting for a forward pass
     * @param batchWindow   how long a batch waits for more requests after its first
     * @param shutdownGrace how long {@link #close()} waits for requests in flight
     */
    public record Settings(String host, int port, String name, int maxBodyBytes, int maxBatch, int maxQueue,
                           Duration batchWindow, Duration shutdownGrace) {
        public Settings {
            if (port < 0 || port > 65_535) {
                throw new DescentException("--port must be 0 to 65535, got " + port);
            }
            if (name.isBlank() || name.contains("/") || name.contains(":")) {
                throw new DescentException("--name must be a non-empty name without '/' or ':', got '" + name + "'");
            }
            if (maxBodyBytes < 1 || maxBatch < 1 || maxQueue < maxBatch) {
                throw new DescentException("--max-body and --max-batch must be at least 1 and --max-queue at least --max-batch,"
                        + " got " + maxBodyBytes + ", " + maxBatch + " and " + maxQueue);
            }
            if (batchWindow.isNegative() || shutdownGrace.isNegative()) {
                throw new DescentException("--batch-window and --shutdown-grace must not be negative");
            }
        }
    }

    private final Settings settings;
    private final ServedModel model;
    private final Map<String, Object> description;
    private final Batcher batcher;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private PredictionServer(Path dir, Settings settings) {
        this.settings = settings;
        this.model = ServedModel.load(dir);
        this.description = describe(dir);
        this.batcher = new Batcher(model, settings.maxBatch(), settings.maxQueue(), settings.batchWindow());
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 0);
        } catch (IOException e) {
            batcher.close();
            throw new DescentException("cannot listen on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "); choose another --port (0 picks a free one) or --host");
        }
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Loads the model saved in {@code dir} and starts serving it. */
    public static PredictionServer start(Path dir, Settings settings) {
        return new PredictionServer(dir, settings);
    }

    /** The port listened on (the one chosen when the settings said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The URL of the predict endpoint. */
    public URI predictUri() {
        return URI.create("http://" + hostForUrl() + ":" + port() + MODELS + settings.name() + ":predict");
    }

    private String hostForUrl() {
        String host = http.getAddress().getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Stops listening, answers the requests in flight (waiting up to the grace period), and stops predicting. */
    @Override
    public void close() {
        http.stop((int) Math.ceil(settings.shutdownGrace().toMillis() / 1000.0));
        batcher.close();
        threads.close();
    }

    // ------------------------------------------------------------------ routing

    private void handle(HttpExchange exchange) {
        try (exchange) {
            int status = 200;
            Object body;
            try {
                body = route(exchange);
            } catch (HttpError e) {
                status = e.status();
                body = error(e.getMessage());
            } catch (DescentException e) {
                status = 400;
                body = error(e.getMessage());
            } catch (RuntimeException | Error e) {
                status = 500;
                body = error("internal error (" + e.getClass().getSimpleName() + "); the server's log has the details");
                System.err.println("descent serve: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed:");
                e.printStackTrace();
            }
            reply(exchange, status, body);
        } catch (IOException e) {
            // the client went away before the answer was sent: nothing more to do
        }
    }

    private Object route(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath(), method = exchange.getRequestMethod();
        if (path.equals("/health")) {
            requireMethod(method, "GET");
            return Map.of("status", "ok");
        }
        if (!path.startsWith(MODELS)) {
            throw new HttpError(404, "no such path: " + path + "; use POST " + MODELS + settings.name()
                    + ":predict, GET " + MODELS + settings.name() + " or GET /health");
        }
        String rest = path.substring(MODELS.length());
        boolean predict = rest.endsWith(":predict");
        String name = predict ? rest.substring(0, rest.length() - ":predict".length()) : rest;
        if (!name.equals(settings.name()) || (!predict && rest.contains(":"))) {
            throw new HttpError(404, "no model at " + path + "; this server serves '" + settings.name() + "': POST "
                    + MODELS + settings.name() + ":predict");
        }
        requireMethod(method, predict ? "POST" : "GET");
        return predict ? predict(exchange) : status();
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new HttpError(405, method + " is not allowed here; use " + allowed);
        }
    }

    // ------------------------------------------------------------------ endpoints

    private Map<String, Object> predict(HttpExchange exchange) {
        List<?> instances = instances(read(exchange));
        if (instances.size() > settings.maxBatch()) {
            throw new HttpError(413, "the request holds " + instances.size() + " instances; this server predicts at most "
                    + settings.maxBatch() + " per request (--max-batch); split it");
        }
        float[] rows = model.encode(instances);
        Prediction prediction;
        try {
            prediction = batcher.submit(rows, instances.size()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is shutting down; send the request again");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        List<Object> predictions = new ArrayList<>(prediction.size());
        int[] classes = prediction.classes();
        for (int i = 0; i < prediction.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            if (prediction.values().length > 0) {
                p.put("value", prediction.values()[i]);
            } else {
                p.put("class", classes[i]);
                p.put("class_name", prediction.classNames().get(classes[i]));
                p.put("probabilities", widened(prediction.probabilities()[i]));
            }
            predictions.add(p);
        }
        return Map.of("predictions", predictions);
    }

    /** Probabilities as doubles, the way {@code descent predict --json} writes them. */
    private static double[] widened(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        return d;
    }

    /**
     * The request body as text. A body beyond the limit is refused (413) once it is read and
     * discarded, up to {@value #DISCARDED_BYTES} bytes more, so that the client reads the answer
     * rather than a reset connection; a body declared larger still is refused unread.
     */
    private String read(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        int max = settings.maxBodyBytes();
        HttpError tooLarge = new HttpError(413, "the request body is larger than " + max + " bytes (--max-body); send fewer"
                + " instances per request");
        if (declared != null && Long.parseLong(declared.strip()) > max + DISCARDED_BYTES) {
            throw tooLarge; // the JDK's server checked that the header is a number
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                byte[] buffer = new byte[1 << 16];
                for (long left = DISCARDED_BYTES; left > 0 && in.read(buffer, 0, (int) Math.min(buffer.length, left)) >= 0; ) {
                    left -= buffer.length;
                }
                throw tooLarge;
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DescentException("the request body could not be read (" + e.getMessage() + "); send it again");
        }
    }

    /** The {@code "instances"} list of a predict request. */
    private static List<?> instances(String body) {
        Object request = Json.parse(body);
        if (!(request instanceof Map<?, ?> m) || !(m.get("instances") instanceof List<?> instances)) {
            throw new DescentException("the request must be a JSON object {\"instances\": [...]}, one instance per input");
        }
        if (instances.isEmpty()) {
            throw new DescentException("\"instances\" is empty; give at least one instance");
        }
        return instances;
    }

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>(description);
        m.put("statistics", batcher.statistics());
        return m;
    }

    /** The model's status and metadata, with the server's limits. */
    private Map<String, Object> describe(Path dir) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max_body_bytes", settings.maxBodyBytes());
        limits.put("max_batch", settings.maxBatch());
        limits.put("max_queue", settings.maxQueue());
        limits.put("batch_window_ms", settings.batchWindow().toNanos() / 1e6);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", settings.name());
        m.put("ready", true);
        m.put("version", version(dir));
        m.put("descent_version", Descent.version());
        m.put("metadata", model.metadata());
        m.put("limits", limits);
        return m;
    }

    /**
     * {@code sha256:} and the first 16 hex digits of the hash of the model's files (the weights and
     * the JSON files: config, trees), which says which model is served.
     */
    private static String version(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var files = Files.list(dir)) {
                for (Path file : files.filter(f -> isModelFile(f.getFileName().toString())).sorted().toList()) {
                    sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    sha.update(Files.readAllBytes(file));
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new DescentException("cannot read the model in " + dir + " (" + e.getMessage() + "); check the folder");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isModelFile(String name) {
        return name.equals(Checkpoint.MODEL_FILE) || name.endsWith(".json"); // config.json, and trees.json for trees
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 413) {
            exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body may be unread
        }
        if (status == 429) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        if (status == 405) {
            exchange.getResponseHeaders().set("Allow", exchange.getRequestURI().getPath().endsWith(":predict") ? "POST" : "GET");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
