package dev.descent.cli;

import dev.descent.cli.serve.PredictionServer;
import dev.descent.data.Idx;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Table;
import dev.descent.data.table.TableReader;
import dev.descent.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code descent serve} over real HTTP on the loopback address: a real server (in this JVM, or
 * {@code descent serve} in a child JVM for SIGTERM) and {@code java.net.http} clients. Every
 * prediction is compared with what {@code descent predict --json} prints for the same input, to
 * the bit: the MNIST test images as 0–255 pixels (flat and nested), a PNG as base64, and the rows
 * of docs/tables/people.csv and fresh.csv as JSON objects.
 */
class ServeCommandTest {
    private static final int IMAGES = 200;
    private static final int PIXELS = 28 * 28;
    private static final Path TABLES = Path.of("..", "docs", "tables");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path tmp;
    private static Path mnist, mlp;
    private static int[][] pixels;
    /** {@code descent predict --json --top 10}'s probability of each class name, for each test image. */
    private static List<Map<String, Double>> expected;

    @BeforeAll
    static void trainAndPredict() throws IOException {
        mnist = CliTest.mnistFolder();
        mlp = tmp.resolve("mnist");
        ok("train", "mnist", "--data-dir", mnist.toString(), "--limit", "1000", "--epochs", "1", "--layers", "32",
                "--no-plots", "--threads", "1", "--out", mlp.toString());
        Path images = mnist.resolve("t10k-images-idx3-ubyte.gz");
        float[] all = Idx.read(images).toFloatArray();
        pixels = new int[IMAGES][PIXELS];
        for (int i = 0; i < IMAGES; i++) {
            for (int k = 0; k < PIXELS; k++) {
                pixels[i][k] = (int) all[i * PIXELS + k];
            }
        }
        expected = new ArrayList<>();
        for (String line : ok("predict", "--model", mlp.toString(), images.toString(), "--limit", String.valueOf(IMAGES),
                "--top", "10", "--json").out().strip().split("\n")) {
            Map<String, Double> byClass = new LinkedHashMap<>();
            for (Object entry : (List<?>) Json.parseObject(line).get("top")) {
                Map<?, ?> top = (Map<?, ?>) entry;
                byClass.put((String) top.get("class"), Json.toDouble(top.get("probability")));
            }
            expected.add(byClass);
        }
    }

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    private static CliTest.Run ok(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    private static PredictionServer serve(Path model, String name, int maxBody, int maxBatch, int maxQueue, double windowMs) {
        return PredictionServer.start(model, new PredictionServer.Settings("127.0.0.1", 0, name, maxBody, maxBatch, maxQueue,
                Duration.ofNanos(Math.round(windowMs * 1e6)), Duration.ofSeconds(5)));
    }

    // ------------------------------------------------------------------ HTTP

    private static HttpResponse<String> send(String method, URI uri, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return CLIENT.send(HttpRequest.newBuilder(uri).method(method, publisher).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(PredictionServer server, String body) throws IOException, InterruptedException {
        return send("POST", server.predictUri(), body);
    }

    private static URI uri(PredictionServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static Map<String, Object> status(PredictionServer server, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", uri(server, "/v1/models/" + name), null);
        assertEquals(200, r.statusCode(), r.body());
        return Json.parseObject(r.body());
    }

    /** Checks a refusal: its status, and a body of one line, {"error": message} with the fragment and no stack trace. */
    private static void assertRefused(int status, String fragment, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        String body = r.body().strip();
        assertFalse(body.contains("\n"), body);
        Map<String, Object> error = Json.parseObject(body);
        assertEquals(List.of("error"), List.copyOf(error.keySet()), body);
        String message = (String) error.get("error");
        assertTrue(message.contains(fragment), "'" + message + "' should say '" + fragment + "'");
        assertFalse(message.contains("Exception") || message.contains("\tat "), message);
    }

    // ------------------------------------------------------------------ images

    /** Test image {@code i} in one of the three pixel layouts: flat, [1][28][28] or [28][28]. */
    private static Object image(int i, int layout) {
        List<Object> flat = Arrays.stream(pixels[i]).boxed().map(Object.class::cast).toList();
        if (layout == 0) {
            return flat;
        }
        List<Object> rows = new ArrayList<>();
        for (int y = 0; y < 28; y++) {
            rows.add(flat.subList(y * 28, (y + 1) * 28));
        }
        return layout == 1 ? List.of(rows) : rows;
    }

    private static String request(List<?> instances) {
        return Json.write(Map.of("instances", instances));
    }

    /** Checks that the predictions answer test images {@code indices} exactly as {@code descent predict} did. */
    private static void assertAnswersAsPredict(HttpResponse<String> r, List<String> classes, int[] indices) {
        assertEquals(200, r.statusCode(), r.body());
        List<?> predictions = (List<?>) Json.parseObject(r.body()).get("predictions");
        assertEquals(indices.length, predictions.size());
        for (int j = 0; j < indices.length; j++) {
            Map<?, ?> p = (Map<?, ?>) predictions.get(j);
            Map<String, Double> want = expected.get(indices[j]);
            List<?> probabilities = (List<?>) p.get("probabilities");
            assertEquals(classes.size(), probabilities.size());
            for (int k = 0; k < classes.size(); k++) {
                assertEquals(want.get(classes.get(k)), Json.toDouble(probabilities.get(k)),
                        "image " + indices[j] + ", class " + classes.get(k)); // bit for bit: both print the float as a double
            }
            String best = want.keySet().iterator().next();
            assertEquals(best, p.get("class_name"), "image " + indices[j]);
            assertEquals(classes.indexOf(best), ((Number) p.get("class")).intValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> classes(Map<String, Object> status) {
        return (List<String>) ((Map<String, Object>) status.get("metadata")).get("classes");
    }

    /**
     * The load test: 8 clients send 2,560 requests of 1 to 4 MNIST test images (flat or nested) and
     * every answer is what {@code descent predict} prints for those images; one request in 8 is
     * malformed or oversized and gets its 400, 404, 405 or 413, after which the client's next request
     * is served as usual. Concurrent requests were predicted in shared forward passes.
     */
    @Test
    void loadTestAnswersEveryRequestAsPredictDoes() throws Exception {
        int clients = 8, perClient = 320, maxBody = 64 * 1024;
        try (PredictionServer server = serve(mlp, "mnist", maxBody, 16, 1024, 2)) {
            List<String> classes = classes(status(server, "mnist"));
            String oversized = request(List.of(List.of(new int[maxBody / 2]))); // zeros: a body of 64 KiB and more
            List<String> malformed = List.of("{\"instances\": [", "[1, 2]", "{\"instances\": []}",
                    request(List.of(List.of(1, 2, 3))), request(List.of(List.of("a"))), request(List.of(Map.of("pixels", 1))));
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(client);
                    for (int n = 0; n < perClient; n++) {
                        HttpResponse<String> r;
                        if (n % 8 == 7) {
                            int kind = random.nextInt(malformed.size() + 3);
                            if (kind < malformed.size()) {
                                r = post(server, malformed.get(kind));
                                assertEquals(400, r.statusCode(), malformed.get(kind) + ": " + r.body());
                            } else if (kind == malformed.size()) {
                                assertRefused(413, "larger than 65536 bytes", r = post(server, oversized));
                            } else if (kind == malformed.size() + 1) {
                                assertRefused(404, "no model", r = send("POST", uri(server, "/v1/models/other:predict"), "{}"));
                            } else {
                                assertRefused(405, "use POST", r = send("GET", server.predictUri(), null));
                            }
                        } else {
                            int[] indices = random.ints(1 + random.nextInt(4), 0, IMAGES).toArray();
                            int layout = random.nextInt(3);
                            r = post(server, request(Arrays.stream(indices).mapToObj(i -> image(i, layout)).toList()));
                            assertAnswersAsPredict(r, classes, indices);
                        }
                        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES); // rethrows a client's failed assertion
            }
            pool.shutdown();
            Map<String, Object> statistics = CliTest.map(status(server, "mnist").get("statistics"));
            System.out.println("serve load test: " + clients * perClient + " requests, statuses " + statuses + ", " + statistics);
            assertEquals(clients * perClient * 7 / 8, statuses.get(200).get());
            assertEquals(clients * perClient * 7 / 8, ((Number) statistics.get("requests")).intValue());
            assertTrue(((Number) statistics.get("batches")).longValue() < ((Number) statistics.get("requests")).longValue(),
                    "concurrent requests should share forward passes: " + statistics);
            assertTrue(((Number) statistics.get("largest_batch")).intValue() <= 16, "--max-batch 16: " + statistics);
        }
    }

    /**
     * Overload: 64 requests at once against a queue of 8 instances get 429 (with Retry-After) or
     * their right answer, never a failure; the server serves as usual afterwards.
     */
    @Test
    void overloadGets429sAndNoFailures() throws Exception {
        try (PredictionServer server = serve(mlp, "mnist", 1 << 20, 4, 8, 50)) {
            List<String> classes = classes(status(server, "mnist"));
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            List<int[]> asked = new ArrayList<>();
            for (int n = 0; n < 64; n++) {
                int[] indices = {n % IMAGES, (7 * n + 3) % IMAGES};
                asked.add(indices);
                answers.add(CLIENT.sendAsync(HttpRequest.newBuilder(server.predictUri()).POST(HttpRequest.BodyPublishers.ofString(
                        request(List.of(image(indices[0], 0), image(indices[1], 2))))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int served = 0, busy = 0;
            for (int n = 0; n < answers.size(); n++) {
                HttpResponse<String> r = answers.get(n).get(2, TimeUnit.MINUTES);
                if (r.statusCode() == 429) {
                    assertRefused(429, "retry later", r);
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    busy++;
                } else {
                    assertAnswersAsPredict(r, classes, asked.get(n));
                    served++;
                }
            }
            System.out.println("serve overload: " + served + " served, " + busy + " refused with 429");
            assertTrue(busy > 0 && served > 0, served + " served, " + busy + " busy");
            assertAnswersAsPredict(post(server, request(List.of(image(5, 1)))), classes, new int[] {5});
            assertEquals(busy, ((Number) CliTest.map(status(server, "mnist").get("statistics")).get("refused_busy")).intValue());
        }
    }

    @Test
    void badRequestsGetTheirStatusAndOneClearLine() throws Exception {
        try (PredictionServer server = serve(mlp, "digits", 1 << 20, 4, 16, 0)) {
            assertRefused(404, "no such path", send("GET", uri(server, "/v2/models"), null));
            assertRefused(404, "this server serves 'digits'", send("POST", uri(server, "/v1/models/mnist:predict"), "{}"));
            assertRefused(404, "no model", send("GET", uri(server, "/v1/models/digits:explain"), null));
            HttpResponse<String> method = send("PUT", server.predictUri(), "{}");
            assertRefused(405, "PUT is not allowed here; use POST", method);
            assertEquals("POST", method.headers().firstValue("Allow").orElse(""));
            assertRefused(405, "use GET", send("POST", uri(server, "/health"), "{}"));
            assertRefused(400, "invalid JSON at line 1:", post(server, "{\"instances\": [1,]}"));
            assertRefused(400, "nested", post(server, "[".repeat(1 << 19))); // deeper than the parser's stack
            assertRefused(400, "{\"instances\": [...]}", post(server, "{\"inputs\": [[1]]}"));
            assertRefused(400, "\"instances\" is empty", post(server, "{\"instances\": []}"));
            assertRefused(400, "instance 0: give 784 pixel values 0-255 (a flat list, nested [1][28][28] or [28][28] lists,"
                    + " or {\"b64\": \"<base64 PNG or JPEG file>\"}), got 3 values", post(server, request(List.of(List.of(1, 2, 3)))));
            int[] bright = pixels[0].clone();
            bright[9] = 256;
            assertRefused(400, "instance 1: pixel values are 0 to 255, got 256", post(server, request(List.of(image(0, 0),
                    Arrays.stream(bright).boxed().toList()))));
            List<Object> ragged = new ArrayList<>((List<?>) image(0, 2));
            ragged.set(5, List.of(1, 2, 3));
            assertRefused(400, "instance 0: the nested lists are not rectangular", post(server, request(List.of(ragged))));
            assertRefused(400, "instance 0: give 784", post(server, request(List.of("7"))));
            assertRefused(400, "not valid base64", post(server, request(List.of(Map.of("b64", "%%%")))));
            assertRefused(400, "no image format recognized", post(server, request(List.of(Map.of("b64", "aGVsbG8=")))));
            assertRefused(413, "larger than 1048576 bytes", post(server, "{\"instances\": [" + "0,".repeat(1 << 19) + "0]}"));
            assertRefused(413, "at most 4 per request (--max-batch)",
                    post(server, request(List.of(List.of(), List.of(), List.of(), List.of(), List.of()))));
            assertEquals(Map.of("status", "ok"), Json.parseObject(send("GET", uri(server, "/health"), null).body()));
            Map<String, Object> status = status(server, "digits");
            assertEquals(true, status.get("ready"));
            assertTrue(((String) status.get("version")).matches("sha256:[0-9a-f]{16}"), status.toString());
            assertEquals(dev.descent.Descent.version(), status.get("descent_version"));
            Map<String, Object> metadata = CliTest.map(status.get("metadata"));
            assertEquals("classification", metadata.get("task"));
            assertEquals(List.of(1L, 28L, 28L), CliTest.map(metadata.get("inputs")).get("shape"));
        }
    }

    @Test
    void startupMistakesAreOneLineErrorsWithExitCode2() {
        try (PredictionServer server = serve(mlp, "mnist", 1024, 1, 1, 0)) {
            CliTest.Run busy = CliTest.run("serve", "--model", mlp.toString(), "--port", String.valueOf(server.port()));
            assertEquals(2, busy.status(), busy.err());
            assertTrue(busy.lastErrorLine().startsWith("descent: error: cannot listen on 127.0.0.1:" + server.port() + " (")
                    && busy.lastErrorLine().endsWith("choose another --port (0 picks a free one) or --host"), busy.err());
        }
        CliTest.Run missing = CliTest.run("serve", "--model", tmp.resolve("nothing").toString(), "--port", "0");
        assertEquals(2, missing.status(), missing.err());
        CliTest.Run window = CliTest.run("serve", "--model", mlp.toString(), "--batch-window", "-1");
        assertEquals("descent: error: --batch-window must be 0 to 10000 milliseconds, got -1.0", window.lastErrorLine());
        CliTest.Run queue = CliTest.run("serve", "--model", mlp.toString(), "--max-batch", "64", "--max-queue", "8");
        assertTrue(queue.lastErrorLine().contains("--max-queue at least --max-batch, got 8388608, 64 and 8"), queue.err());
    }

    /** A PNG sent as base64 is read as {@code descent predict} reads the file: the same probabilities. */
    @Test
    void base64ImagesAnswerAsPredictOnTheFile() throws Exception {
        Path png = tmp.resolve("one.png");
        BufferedImage drawing = new BufferedImage(56, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = drawing.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 56, 40);
        g.setColor(Color.BLACK);
        g.fillRect(24, 6, 8, 28); // dark ink on white, inverted by both
        g.dispose();
        ImageIO.write(drawing, "png", png.toFile());
        Map<String, Double> want = new LinkedHashMap<>();
        for (Object entry : (List<?>) Json.parseObject(ok("predict", "--model", mlp.toString(), png.toString(), "--top", "10",
                "--json").out().strip()).get("top")) {
            want.put((String) ((Map<?, ?>) entry).get("class"), Json.toDouble(((Map<?, ?>) entry).get("probability")));
        }
        try (PredictionServer server = serve(mlp, "mnist", 1 << 20, 8, 8, 0)) {
            List<String> classes = classes(status(server, "mnist"));
            String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
            HttpResponse<String> r = post(server, request(List.of(Map.of("b64", b64))));
            assertEquals(200, r.statusCode(), r.body());
            List<?> p = (List<?>) ((Map<?, ?>) ((List<?>) Json.parseObject(r.body()).get("predictions")).get(0)).get("probabilities");
            for (int k = 0; k < classes.size(); k++) {
                assertEquals(want.get(classes.get(k)), Json.toDouble(p.get(k)), "class " + classes.get(k));
            }
        }
    }

    // ------------------------------------------------------------------ tables

    /**
     * The rows of a table file as JSON objects, typed as the served model's metadata says (numbers
     * as JSON numbers, the rest as strings, null when missing), in {@code descent predict}'s order.
     */
    private static List<Object> rows(Path file, Map<String, Object> status) {
        Table table = TableReader.read(file, CsvReader.Format.DEFAULT);
        Map<String, String> types = new LinkedHashMap<>();
        for (Object column : (List<?>) CliTest.map(CliTest.map(status.get("metadata")).get("inputs")).get("columns")) {
            types.put((String) ((Map<?, ?>) column).get("name"), (String) ((Map<?, ?>) column).get("type"));
        }
        List<Object> rows = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < table.columnCount(); c++) {
                String name = table.names().get(c), cell = table.cell(r, c);
                row.put(name, cell != null && "numeric".equals(types.get(name)) ? (Object) Double.parseDouble(cell) : cell);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Serves the table model in {@code dir} and checks each file's rows, 3 per request, against {@code predict --json}. */
    private static void assertTableAnswersAsPredict(Path dir, Path... files) throws Exception {
        try (PredictionServer server = serve(dir, "table", 1 << 20, 8, 64, 2)) {
            Map<String, Object> status = status(server, "table");
            for (Path file : files) {
                List<Object> rows = rows(file, status);
                List<Map<String, Object>> want = ok("predict", "--model", dir.toString(), file.toString(), "--json").out().strip()
                        .lines().map(Json::parseObject).toList();
                for (int from = 0; from < rows.size(); from += 3) {
                    HttpResponse<String> r = post(server, request(rows.subList(from, Math.min(rows.size(), from + 3))));
                    assertEquals(200, r.statusCode(), r.body());
                    List<?> predictions = (List<?>) Json.parseObject(r.body()).get("predictions");
                    for (int j = 0; j < predictions.size(); j++) {
                        Map<?, ?> got = (Map<?, ?>) predictions.get(j);
                        Map<String, Object> line = want.get(from + j);
                        if (line.get("probabilities") instanceof Map<?, ?> probabilities) {
                            assertEquals(line.get("prediction"), got.get("class_name"), file + " row " + (from + j));
                            assertEquals(probabilities.values().stream().map(Json::toDouble).toList(),
                                    ((List<?>) got.get("probabilities")).stream().map(Json::toDouble).toList());
                        } else {
                            assertEquals(Double.parseDouble((String) line.get("prediction")), Json.toDouble(got.get("value")));
                        }
                    }
                }
            }
            // a missing column, a word in a numeric column, a list for a value
            assertRefused(400, "instance 0: the column 'income' is missing; give every input column",
                    post(server, request(List.of(Map.of("age", 30, "color", "red", "member", "yes")))));
            assertRefused(400, "instance 1: column 'age' is numeric; give a number within ±3.4e38 (float32),"
                    + " or null when missing; got \"old\"",
                    post(server, "{\"instances\": [" + Json.write(rows(files[0], status).get(0)) + ", {\"age\": \"old\","
                            + " \"color\": \"red\", \"member\": true, \"income\": 3}]}"));
            assertRefused(400, "instance 0: column 'color' holds a list",
                    post(server, request(List.of(Map.of("age", 30, "color", List.of(), "member", "yes", "income", 1)))));
            assertRefused(400, "instance 0: give a table row as an object keyed by column name, e.g. {\"age\": 1.5",
                    post(server, request(List.of(List.of(30, "red")))));
        }
    }

    /**
     * Table models, a network and boosted trees: categories, booleans, missing values (null, "",
     * and absent incomes) and a category never seen in training, as {@code predict} reads the CSV.
     */
    @Test
    void tableRowsAnswerAsPredictDoes() throws Exception {
        Path people = TABLES.resolve("people.csv"), fresh = TABLES.resolve("fresh.csv");
        Path network = tmp.resolve("people-mlp"), trees = tmp.resolve("people-gbdt");
        ok("train", people.toString(), "--target", "label", "--ignore", "id,price", "--epochs", "5", "--no-plots",
                "--threads", "1", "--out", network.toString());
        ok("train", people.toString(), "--target", "price", "--ignore", "id,label", "--algorithm", "gbdt", "--no-plots",
                "--threads", "1", "--out", trees.toString());
        assertTableAnswersAsPredict(network, people, fresh);
        assertTableAnswersAsPredict(trees, people, fresh);
    }

    // ------------------------------------------------------------------ SIGTERM

    /**
     * {@code descent serve} in a child JVM, SIGTERM while four requests wait in a batch (a window of
     * 5 s): the four are answered, right, and the process ends; the port then refuses connections.
     */
    @Test
    void sigtermAnswersTheRequestsInFlightThenStops() throws Exception {
        Path log = tmp.resolve("serve.log");
        Process child = ChildJvm.start(List.of("serve", "--model", mlp.toString(), "--port", "0", "--batch-window", "5000"), log);
        try {
            int port = -1;
            Pattern serving = Pattern.compile("serving mnist at http://127\\.0\\.0\\.1:(\\d+)/v1/models/mnist:predict");
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); port < 0; Thread.sleep(50)) {
                Matcher m = serving.matcher(Files.readString(log));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail("descent serve did not start: " + Files.readString(log));
                }
            }
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            URI predict = URI.create("http://127.0.0.1:" + port + "/v1/models/mnist:predict");
            URI statusUri = URI.create("http://127.0.0.1:" + port + "/v1/models/mnist");
            List<String> classes = classes(Json.parseObject(send("GET", statusUri, null).body()));
            assertAnswersAsPredict(send("POST", predict, request(List.of(image(9, 0)))), classes, new int[] {9}); // warm
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                inFlight.add(CLIENT.sendAsync(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(
                        request(List.of(image(i, 0))))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); ; Thread.sleep(20)) {
                Map<String, Object> statistics = CliTest.map(Json.parseObject(send("GET", statusUri, null).body()).get("statistics"));
                if (((Number) statistics.get("waiting")).intValue() == 4) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the requests never waited together: " + statistics);
            }
            child.destroy(); // SIGTERM
            for (int i = 0; i < 4; i++) {
                assertAnswersAsPredict(inFlight.get(i).get(60, TimeUnit.SECONDS), classes, new int[] {i});
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "descent serve did not stop: " + Files.readString(log));
            assertTrue(Files.readString(log).contains("stopping; answering the requests in flight"), Files.readString(log));
            assertThrows(ConnectException.class, () -> send("GET", health, null));
        } finally {
            child.destroyForcibly();
        }
    }
}
