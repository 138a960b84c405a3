package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.Normalizer;
import dev.descent.io.AtomicFiles;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.train.LearningRateFinder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code descent lr-find}: the learning-rate range test ({@link LearningRateFinder}) with its picture. */
@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learning-rate range test: train a fresh model for a few hundred steps while the learning rate grows",
                "exponentially; plot the smoothed loss against the rate and suggest one (steepest descent).",
                "Example: descent lr-find mnist --optimizer sgd --out docs/lr-find"})
final class LrFindCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "SPEC", description = "Model specification (overrides --layers/--activation/--dropout).")
    String model;

    @Option(names = "--layers", split = ",", paramLabel = "N,N", defaultValue = "512,256", description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = "Hidden activation (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--dropout", paramLabel = "RATE", defaultValue = "0.2", description = "Dropout after each hidden layer (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--opt", paramLabel = "K=V,...", description = "Optimizer hyperparameters other than lr.")
    String hyperparameters;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--min-lr", paramLabel = "LR", defaultValue = "1e-7", description = "First learning rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--max-lr", paramLabel = "LR", defaultValue = "10", description = "Last learning rate (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "Steps from --min-lr to --max-lr (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the weights and batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "PATH", defaultValue = "lr-find",
            description = "Writes PATH.png, PATH.svg and PATH.csv (lr, loss, smoothed loss) (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public void run() {
        require(minLr > 0 && maxLr > minLr, "--min-lr must be positive and below --max-lr");
        require(steps >= 10, "--steps must be at least 10, got " + steps);
        require(batchSize >= 1, "--batch-size must be at least 1");
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
        Map<String, Double> settings = OptimizerRegistry.parse(hyperparameters == null ? "" : hyperparameters);
        settings.put("lr", 1.0);                       // the schedule below is the absolute rate
        OptimizerRegistry.create(optimizer, settings);  // unknown names fail before the data loads
        if (threads != null) {
            require(threads >= 1, "--threads must be at least 1");
            Parallel.setThreads(threads);
        }
        DataOptions.Loaded loaded = data.load();
        Normalizer normalizer = Normalizer.fit(loaded.train().inputs(), Normalizer.Mode.GLOBAL);
        Dataset train = new Dataset(normalizer.apply(loaded.train().inputs()), loaded.train().targets());
        ModelSpec modelSpec = model != null ? ModelSpec.parse(model) : ModelSpec.mlp(layers, activation, dropout, loaded.classes());
        Sequential network = modelSpec.build(loaded.inputShape(), new SplittableRandom(seed));
        System.err.printf(Locale.ROOT, "descent: %s | %s | lr from %.1e to %.1e over %d steps of %d examples%n",
                modelSpec, optimizer, minLr, maxLr, steps, batchSize);
        LearningRateFinder.Result r = LearningRateFinder.run(network, Loss.softmaxCrossEntropy(),
                lr -> OptimizerRegistry.create(optimizer, settings, lr), train, batchSize, seed, minLr, maxLr, steps);
        if (r.lrs().length < 2) {
            throw new DescentException("the loss was not finite from the first step; lower --min-lr or check the data");
        }
        StringBuilder csv = new StringBuilder("lr,loss,smoothed_loss\n");
        for (int i = 0; i < r.lrs().length; i++) {
            csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", r.lrs()[i], r.losses()[i], r.smoothed()[i]));
        }
        AtomicFiles.writeString(out.resolveSibling(out.getFileName() + ".csv"), csv.toString());
        Plots.learningRateFinder(r, out);
        System.err.printf(Locale.ROOT, "ran %d steps (stopped at lr %.2g%s)%n", r.lrs().length, r.lrs()[r.lrs().length - 1],
                r.lrs().length < steps ? ", the loss exploded" : "");
        System.err.printf(Locale.ROOT, "lowest smoothed loss at lr %.2g; suggested learning rate %.2g (steepest descent)%n",
                r.minimumLr(), r.suggestion());
        System.err.printf("wrote %s.png, %s.svg and %s.csv%n", out, out, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "%.3g%n", r.suggestion());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new DescentException(message);
        }
    }
}
