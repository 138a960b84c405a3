package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.ImageSet;
import dev.descent.data.Normalizer;
import dev.descent.io.AtomicFiles;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.train.DataKind;
import dev.descent.train.LearningRateFinder;
import dev.descent.train.Setting;
import dev.descent.train.TrainingRun;
import dev.descent.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Stream;
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

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "Optimizer (default: ${sys:descent.default.optimizer}).")
    String optimizer;

    @Option(names = "--opt", paramLabel = "K=V,...", description = "Optimizer hyperparameters other than lr.")
    String hyperparameters;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step (default: ${sys:descent.default.batch_size}).")
    Integer batchSize;

    @Option(names = "--min-lr", paramLabel = "LR", defaultValue = "1e-7", description = "First learning rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--max-lr", paramLabel = "LR", defaultValue = "10", description = "Last learning rate (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", description = "Steps from --min-lr to --max-lr (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights and batches (default: ${sys:descent.default.seed}).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "PATH", defaultValue = "lr-find",
            description = "Writes PATH.png, PATH.svg and PATH.csv (lr, loss, smoothed loss) (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--overwrite", description = "Replace PATH.png, PATH.svg and PATH.csv if they exist.")
    boolean overwrite;

    @Option(names = {"-q", "--quiet"}, description = "Print only the suggested rate.")
    boolean quiet;

    @Override
    public void run() {
        require(minLr > 0 && maxLr > minLr && Double.isFinite(maxLr), "--min-lr must be positive and below --max-lr");
        require(steps >= 10, "--steps must be at least 10, got " + steps);
        TrainingSettings settings = CommandLineSettings.given(spec);
        PrintStream err = quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
        settings.checkApplicable(settings.given());
        if (settings.kind() != DataKind.IMAGES) {
            throw new DescentException("lr-find works on images (mnist, idx) for now; " + settings.text(Setting.DATASET)
                    + " is " + (settings.kind() == DataKind.TABLE ? "a table" : "text"));
        }
        OutputFiles.check(Stream.of(".png", ".svg", ".csv").map(suffix -> out.resolveSibling(out.getFileName() + suffix))
                .toList(), overwrite);
        String optimizerName = settings.text(Setting.OPTIMIZER);
        Map<String, Double> values = settings.hyperparameterValues();
        values.put("lr", 1.0);                            // the schedule below is the absolute rate
        OptimizerRegistry.create(optimizerName, values);  // unknown names fail before the data loads
        Object threadCount = settings.get(Setting.THREADS);
        if (threadCount != null) {
            Parallel.setThreads((Integer) threadCount);
        }
        Object dir = settings.get(Setting.DATA_DIR);
        ImageSet data = ImageSet.load(settings.text(Setting.DATASET), dir == null ? null : Path.of((String) dir),
                settings.integer(Setting.LIMIT));
        Normalizer normalizer = Normalizer.fit(data.train().inputs(), Normalizer.Mode.GLOBAL);
        Dataset train = new Dataset(normalizer.apply(data.train().inputs()), data.train().targets());
        ModelSpec modelSpec = TrainingRun.spec(settings, data.classes());
        Sequential network = modelSpec.build(data.inputShape(), new SplittableRandom(settings.seed()));
        int batch = settings.batchSize();
        err.printf(Locale.ROOT, "descent: %s | %s | lr from %.1e to %.1e over %d steps of %d examples%n",
                modelSpec, optimizerName, minLr, maxLr, steps, batch);
        LearningRateFinder.Result r = LearningRateFinder.run(network, Loss.softmaxCrossEntropy(),
                lr -> OptimizerRegistry.create(optimizerName, values, lr), train, batch, settings.seed(), minLr, maxLr, steps,
                err::println);
        if (r.lrs().length < 2) {
            throw new DescentException("the loss was not finite from the first step; lower --min-lr or check the data");
        }
        StringBuilder csv = new StringBuilder("lr,loss,smoothed_loss\n");
        for (int i = 0; i < r.lrs().length; i++) {
            csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", r.lrs()[i], r.losses()[i], r.smoothed()[i]));
        }
        AtomicFiles.writeString(out.resolveSibling(out.getFileName() + ".csv"), csv.toString());
        Plots.learningRateFinder(r, out);
        err.printf(Locale.ROOT, "ran %d steps (stopped at lr %.2g%s)%n", r.lrs().length, r.lrs()[r.lrs().length - 1],
                r.lrs().length < steps ? ", the loss exploded" : "");
        err.printf(Locale.ROOT, "lowest smoothed loss at lr %.2g; suggested learning rate %.2g (steepest descent)%n",
                r.minimumLr(), r.suggestion());
        err.printf("wrote %s.png, %s.svg and %s.csv%n", out, out, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "%.3g%n", r.suggestion());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new DescentException(message);
        }
    }
}
