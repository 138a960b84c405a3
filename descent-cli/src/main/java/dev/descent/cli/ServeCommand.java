package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.cli.serve.PredictionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code descent serve}: a saved model's predictions over HTTP ({@link PredictionServer}), until
 * Ctrl-C or SIGTERM, which stop it gracefully: requests in flight are answered first.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a saved model's predictions over HTTP, with TensorFlow Serving's and KServe's v1 REST protocol:",
                "POST /v1/models/NAME:predict {\"instances\": [...]}, GET /v1/models/NAME, GET /health.",
                "Concurrent requests are predicted together, in one forward pass. Ctrl-C or SIGTERM stop it after"
                        + " answering the requests in flight.",
                "Example: descent serve --model runs/mnist"})
final class ServeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint folder written by `descent train`.")
    Path model;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on; 0.0.0.0 opens it to the network (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name in the URLs (default: the model folder's name).")
    String name;

    @Option(names = "--batch-window", defaultValue = "2", paramLabel = "MS",
            description = "Milliseconds a batch waits for more requests after its first (default: ${DEFAULT-VALUE}; 0: no wait).")
    double batchWindow;

    @Option(names = "--max-batch", defaultValue = "64", paramLabel = "N",
            description = "Most instances in one forward pass, and in one request (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-queue", defaultValue = "1024", paramLabel = "N",
            description = "Most instances waiting; beyond, requests get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body", defaultValue = "8388608", paramLabel = "BYTES",
            description = "Largest request body; beyond, 413 (default: ${DEFAULT-VALUE}, 8 MiB).")
    int maxBody;

    @Option(names = "--shutdown-grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "On Ctrl-C or SIGTERM, how long to wait for requests in flight (default: ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Override
    public void run() {
        if (!(batchWindow >= 0 && batchWindow <= 10_000)) {
            throw new DescentException("--batch-window must be 0 to 10000 milliseconds, got " + batchWindow);
        }
        String served = name != null ? name : model.toAbsolutePath().normalize().getFileName().toString();
        PredictionServer server = PredictionServer.start(model, new PredictionServer.Settings(host, port, served, maxBody,
                maxBatch, maxQueue, Duration.ofNanos(Math.round(batchWindow * 1e6)), Duration.ofSeconds(shutdownGrace)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("descent serve: stopping; answering the requests in flight");
            server.close();
            stopped.countDown();
        }, "descent-serve-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("serving " + served + " at " + server.predictUri() + " (stop with Ctrl-C)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
