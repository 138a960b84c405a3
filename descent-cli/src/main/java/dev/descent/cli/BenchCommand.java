package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.Task;
import dev.descent.data.text.TextCorpus;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.optim.Transforms;
import dev.descent.tensor.DType;
import dev.descent.tensor.Kernels;
import dev.descent.tensor.MatmulBackend;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;
import dev.descent.train.EpochStats;
import dev.descent.train.Model;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code descent bench}: end-to-end training throughput. Configurations 1 to 4 train on
 * MNIST-shaped random data (inputs [N,1,28,28] uniform in [0,1), labels 0–9 uniform; 4 reads
 * the images row by row) with Adam (lr 1e-3); configuration 5 trains a character model on random
 * windows of 100 character ids of a 63-character vocabulary (the KJV's), next-character targets
 * at every step, with Adam (lr 2e-3) after clipping the gradient to global norm 1. All use
 * softmax cross-entropy, one warm-up epoch, then the median examples (images, sequences) per
 * second of the timed epochs; configuration 5 also gives characters per second. With
 * {@code --latency}: the 50th and 99th percentiles of the time of {@code Model.predict} on one
 * example, warm. {@code bench/torch_bench.py} runs the same configurations in PyTorch.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure training throughput (samples/s) on MNIST-shaped data with Adam and",
                "softmax cross-entropy: one warm-up epoch, then the median of the timed epochs.",
                "  1: MLP 784-128-10 ReLU, batch 64",
                "  2: MLP 784-1024-1024-10 ReLU, batch 256",
                "  3: CNN conv 3x3 32, conv 3x3 64, max-pool 2, dropout 0.25, dense 128,",
                "     dropout 0.5, dense 10, batch 128",
                "  4: LSTM 128 over MNIST rows (28 steps of 28), last step, dense 10, batch 128",
                "  5: characters: embedding 64, LSTM 256, dense 63 at every step, sequences",
                "     of 100, batch 64, Adam 2e-3 after clipping to norm 1 (also characters/s)"})
public final class BenchCommand implements Runnable {
    /**
     * One benchmark configuration: the model as text, the batch size, the examples per epoch, and
     * for a character model the steps per sequence (0 for images).
     */
    public record Config(int number, String name, String model, int batch, int samples, int steps) {
        /** Whether the examples are windows of character ids rather than images. */
        boolean characters() {
            return steps > 0;
        }
    }

    /** The characters of configuration 5's vocabulary (the KJV's 63). */
    static final int VOCABULARY = 63;

    public static final List<Config> CONFIGS = List.of(
            new Config(1, "mlp-784-128-10", "flatten dense(128) relu dense(10)", 64, 64 * 400, 0),
            new Config(2, "mlp-784-1024-1024-10", "flatten dense(1024) relu dense(1024) relu dense(10)", 256, 256 * 40, 0),
            new Config(3, "cnn", "conv(32,3) relu conv(64,3) relu maxpool(2) dropout(0.25) flatten dense(128) relu "
                    + "dropout(0.5) dense(10)", 128, 128 * 40, 0),
            new Config(4, "lstm-128-mnist-rows", "lstm(128) dense(10)", 128, 128 * 40, 0),
            new Config(5, "char-lstm-256", "embedding(" + VOCABULARY + ",64) lstm(256,seq=true) dense(" + VOCABULARY + ")",
                    64, 64 * 10, 100));

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "N", split = ",", description = "Configurations to run: 1 to 5 (default: all).")
    int[] configs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Timed epochs after the warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--samples", paramLabel = "N",
            description = "Examples per epoch (default: 400 batches for 1, 40 for 2 to 4, 10 for 5).")
    Integer samples;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = "--matmul", paramLabel = "SHAPE", split = ",",
            description = {"Measure matrix products instead: GFLOP/s for shapes MxKxN[:TN], e.g. 512x512x512,64x784x128:NT",
                    "(NT = A·Bᵀ as in a layer's forward pass, TN = Aᵀ·B as in its weight gradient)."})
    List<String> matmul;

    @Option(names = "--latency", description = {"Measure prediction latency instead: p50 and p99 of Model.predict on one example,",
            "warm (configurations 1 to 3; default 1 and 3)."})
    boolean latency;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "With --latency: seconds of timed predictions after as many of warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", description = "Print one JSON line per configuration instead of the table.")
    boolean json;

    @Override
    public void run() {
        if (epochs < 1) {
            throw new DescentException("--epochs must be at least 1, got " + epochs);
        }
        if (samples != null && samples < 1) {
            throw new DescentException("--samples must be at least 1, got " + samples);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new DescentException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (matmul != null) {
            matmulTable(matmul.stream().map(MatmulShape::parse).toList());
            return;
        }
        if (latency) {
            latencyTable(configs == null ? List.of(config(1), config(3))
                    : Arrays.stream(configs).mapToObj(BenchCommand::config).toList());
            return;
        }
        List<Config> chosen = configs == null ? CONFIGS : Arrays.stream(configs).mapToObj(BenchCommand::config).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "descent bench: %s, %d timed epochs after one warm-up%n", runtime(), epochs);
            out.printf(Locale.ROOT, "%-3s %-22s %6s %10s %14s %16s%n", "#", "model", "batch", "samples", "samples/s",
                    "characters/s");
        }
        for (Config c : chosen) {
            int n = samples != null ? samples : c.samples();
            double rate = measure(c, n, epochs);
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("config", c.number());
                line.put("name", c.name());
                line.put("batch", c.batch());
                line.put("samples_per_sec", Math.round(rate * 10) / 10.0);
                if (c.characters()) {
                    line.put("chars_per_sec", Math.round(rate * c.steps()));
                }
                out.println(jsonLine(line));
            } else {
                out.printf(Locale.ROOT, "%-3d %-22s %6d %10d %14.1f %16s%n", c.number(), c.name(), c.batch(), n, rate,
                        c.characters() ? String.format(Locale.ROOT, "%.0f", rate * c.steps()) : "");
            }
            out.flush();
        }
    }

    private void matmulTable(List<MatmulShape> shapes) {
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "descent bench --matmul: %s%n", runtime());
            out.printf(Locale.ROOT, "%-20s %10s%n", "shape", "GFLOP/s");
        }
        for (MatmulShape shape : shapes) {
            double gflops = gflops(shape);
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("shape", shape.toString());
                line.put("gflops", Math.round(gflops * 100) / 100.0);
                out.println(jsonLine(line));
            } else {
                out.printf(Locale.ROOT, "%-20s %10.2f%n", shape, gflops);
            }
            out.flush();
        }
    }

    private void latencyTable(List<Config> chosen) {
        if (!(seconds > 0)) {
            throw new DescentException("--seconds must be positive, got " + seconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "descent bench --latency: %s, one example per predict, %.1f s timed%n", runtime(), seconds);
            out.printf(Locale.ROOT, "%-3s %-22s %10s %10s%n", "#", "model", "p50 µs", "p99 µs");
        }
        for (Config c : chosen) {
            if (c.characters() || c.number() == 4) {
                throw new DescentException("--latency measures the image configurations 1 to 3, not " + c.number());
            }
            double[] micros = latencies(c, seconds);
            double p50 = percentile(micros, 0.50), p99 = percentile(micros, 0.99);
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("config", c.number());
                line.put("name", c.name());
                line.put("p50_us", Math.round(p50 * 10) / 10.0);
                line.put("p99_us", Math.round(p99 * 10) / 10.0);
                line.put("predictions", micros.length);
                out.println(jsonLine(line));
            } else {
                out.printf(Locale.ROOT, "%-3d %-22s %10.1f %10.1f%n", c.number(), c.name(), p50, p99);
            }
            out.flush();
        }
    }

    /**
     * Microseconds of each {@link Model#predict} of one MNIST-shaped example (a model of
     * configuration {@code c} fitted for one epoch on 256 random examples), timed for {@code seconds}
     * after as many seconds of warm-up.
     */
    static double[] latencies(Config c, double seconds) {
        SplittableRandom rng = new SplittableRandom(42);
        Dataset data = images(rng, 256);
        Model model = Model.classifier(c.model());
        model.fit(data, TrainingSettings.defaults().epochs(1).batchSize(c.batch()).validation(0).seed(42));
        Tensor one = Tensor.rand(rng, 1, 1, 28, 28);
        long warmUntil = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmUntil) {
            model.predict(one);
        }
        double[] micros = new double[1024];
        int count = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long now = System.nanoTime(); now < end; ) {
            model.predict(one);
            long after = System.nanoTime();
            if (count == micros.length) {
                micros = Arrays.copyOf(micros, 2 * count);
            }
            micros[count++] = (after - now) / 1e3;
            now = after;
        }
        return Arrays.copyOf(micros, count);
    }

    /** The {@code q} quantile of {@code values} by the nearest rank (values sorted in place). */
    static double percentile(double[] values, double q) {
        Arrays.sort(values);
        return values[Math.max(0, (int) Math.ceil(q * values.length) - 1)];
    }

    /** The kernels, the matrix product and the thread count, for the table's heading. */
    private static String runtime() {
        return String.format(Locale.ROOT, "%s kernels, matmul %s, %d threads",
                Kernels.float32Name(), MatmulBackend.inUse(), Parallel.threads());
    }

    /** One JSON line: the measurement's {@code fields}, then the threads, the matmul backend and the engine. */
    private static String jsonLine(Map<String, Object> fields) {
        fields.put("threads", Parallel.threads());
        fields.put("matmul", MatmulBackend.selected().name());
        fields.put("engine", "descent " + Version.VERSION);
        return Json.write(fields);
    }

    /** Median GFLOP/s of five timed rounds of products, after two seconds of warm-up (the JIT compiles the kernel). */
    static double gflops(MatmulShape s) {
        SplittableRandom rng = new SplittableRandom(1);
        Storage a = MatmulShape.random(rng, s.m() * s.k()), b = MatmulShape.random(rng, s.k() * s.n());
        Storage c = Storage.allocate(DType.FLOAT32, s.m() * s.n());
        Kernels kernels = Kernels.of(DType.FLOAT32);
        double[] rates = new double[5];
        for (int round = -1; round < rates.length; round++) {
            long nanos = round < 0 ? 2_000_000_000L : 400_000_000L;
            long start = System.nanoTime(), reps = 0;
            while (System.nanoTime() - start < nanos) {
                kernels.matmul(a, 0, s.transA(), b, 0, s.transB(), c, 0, s.m(), s.k(), s.n());
                reps++;
            }
            if (round >= 0) {
                rates[round] = s.flops() * reps / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static Config config(int number) {
        return CONFIGS.stream().filter(c -> c.number() == number).findFirst().orElseThrow(() ->
                new DescentException("unknown --config " + number + "; choose 1, 2, 3, 4 or 5"));
    }

    /** The median training samples/s of {@code timed} epochs after one warm-up epoch. */
    static double measure(Config c, int samples, int timed) {
        SplittableRandom rng = new SplittableRandom(42);
        Dataset data = c.characters() ? characterWindows(rng, samples, c.steps()) : images(rng, samples);
        int[] example = Arrays.copyOfRange(data.inputs().dims(), 1, data.inputs().rank());
        Sequential model = ModelSpec.parse(c.model()).build(example, new SplittableRandom(42));
        GradientTransformation tx = c.characters()
                ? Transforms.chain(Transforms.clipByGlobalNorm(1.0), OptimizerRegistry.create("adam", Map.of("lr", 2e-3)))
                : OptimizerRegistry.create("adam", Map.of("lr", 1e-3));
        Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(), new Optimizer(tx, model)).epochs(timed + 1)
                .batchSize(c.batch()).seed(42).task(c.characters() ? Task.REGRESSION : Task.CLASSIFICATION);
        double[] rates = trainer.fit(data, null).stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).sorted().toArray();
        return rates[rates.length / 2];
    }

    /** Images [N,1,28,28] uniform in [0,1) with labels 0–9 uniform. */
    private static Dataset images(SplittableRandom rng, int samples) {
        Tensor inputs = Tensor.rand(rng, samples, 1, 28, 28);
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new Dataset(inputs, Tensor.wrap(labels, samples));
    }

    /** Windows [N, steps] of uniform character ids with next-character targets [N, steps]. */
    private static Dataset characterWindows(SplittableRandom rng, int samples, int steps) {
        int[] ids = rng.ints(samples * steps + 1, 0, VOCABULARY).toArray();
        return TextCorpus.windows(ids, steps);
    }
}
