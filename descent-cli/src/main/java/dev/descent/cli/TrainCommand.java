package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import dev.descent.train.Cluster;
import dev.descent.train.ConfusionMatrix;
import dev.descent.train.CrossValidation;
import dev.descent.train.DataKind;
import dev.descent.train.ProgressBar;
import dev.descent.train.TrainingRun;
import dev.descent.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code descent train}: parses the options into settings and runs the library's {@link TrainingRun}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network (or, on tables, trees) and save a checkpoint: weights, config, optimizer state, history.",
                "Example: descent train mnist --layers 512,256 --dropout 0.2 --epochs 15 --out runs/mnist"})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    OptimizerOptions optimizer;

    @Mixin
    FitOptions fit;

    @Mixin
    TableOptions table;

    @Option(names = "--algorithm", paramLabel = "NAME",
            description = "Tables: mlp (a neural network), tree (one decision tree) or gbdt (gradient-boosted trees, XGBoost) (default: ${sys:descent.default.algorithm}).")
    String algorithm;

    @Option(names = "--test-size", paramLabel = "SHARE",
            description = "Tables: share of the rows held out for the test (stratified for classes) (default: ${sys:descent.default.test_size}).")
    Double testSize;

    @Option(names = "--cv", paramLabel = "K", description = "Tables: K-fold cross-validation (stratified for classes); reports mean ± std and saves no model.")
    Integer folds;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder: new, empty, or an earlier run's with --overwrite (default: runs/NAME, NAME the data set's, or runs/NAME-2, -3, ... when taken).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR with all its settings (give more --epochs to train longer); writes into DIR.")
    Path resume;

    @Option(names = "--overwrite", description = "Replace the checkpoint of an earlier run in --out (files Descent did not write are never touched).")
    boolean overwrite;

    @Option(names = "--json", description = "End with one JSON line of results on standard output.")
    boolean json;

    @Option(names = "--no-plots", description = "Do not draw the loss, accuracy and confusion-matrix pictures into the run folder.")
    boolean noPlots;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the --json line).")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Data-parallel training on Apache Spark: local[N], or spark://HOST:PORT for a cluster (docs/spark.md).")
    String spark;

    @Option(names = "--local-steps", paramLabel = "K",
            description = "With --spark: K local steps of every share between two averagings of the weights and the optimizer's"
                    + " state (local SGD; default: 1, synchronous steps, one machine's training).")
    Integer localSteps;

    @Override
    public void run() {
        TrainingSettings given = CommandLineSettings.given(spec);
        Consumer<String> log = quiet ? line -> { } : System.err::println;
        if (localSteps != null) {
            if (spark == null) {
                throw new DescentException("--local-steps averages the models that the shares of a Spark cluster train;"
                        + " add --spark MASTER, or leave --local-steps out");
            }
            given = given.localSteps(localSteps);
        }
        if (spark == null) {
            train(given, log);
            return;
        }
        try (Cluster cluster = ClusterOption.connect("--spark", spark, log)) {
            train(given.batchGradients(cluster), log);
        }
    }

    private void train(TrainingSettings given, Consumer<String> log) {
        if (folds != null) {
            crossValidate(given, log);
            return;
        }
        if (resume != null && (out != null || overwrite)) {
            throw new DescentException("--resume DIR writes into DIR; leave out " + (out != null ? "--out" : "--overwrite"));
        }
        Path folder = resume != null ? resume : out != null ? out : defaultOut(data.dataset());
        RunFolder.Mode mode = resume != null ? RunFolder.Mode.RESUME : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
        if (!quiet) {
            given = given.callbacks(new ProgressBar(System.err, Terminal.isInteractive()));
        }
        String commandLine = "descent " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        TrainingRun.Result result = TrainingRun.run(given, new TrainingRun.Output(folder, mode, commandLine, Version.VERSION), log);
        if (!noPlots && result.model() != null && !result.history().isEmpty()) {
            List<Map<String, Object>> history = result.history().stream().map(Json::parseObject).toList();
            Plots.trainingCurves(history, result.keptEpoch(), folder);
            if (result.test() != null) {
                Plots.confusionMatrix(ConfusionMatrix.of(result.model().network(), result.test(),
                        result.model().classNames().size()), folder.resolve("confusion"));
            }
        }
        if (json) {
            spec.commandLine().getOut().println(Json.write(result.summary()));
        }
    }

    private void crossValidate(TrainingSettings given, Consumer<String> log) {
        if (out != null || resume != null || overwrite) {
            throw new DescentException("--cv saves no model, so " + (resume != null ? "--resume" : out != null ? "--out" : "--overwrite")
                    + " does not apply; leave it out, or train without --cv to save one");
        }
        Map<String, Object> summary = CrossValidation.run(given, folds, log);
        if (json) {
            spec.commandLine().getOut().println(Json.write(summary));
        }
    }

    /**
     * runs/mnist, runs/idx, or runs/NAME for a file NAME.csv; when that is taken (not an empty
     * folder), the first free runs/NAME-2, runs/NAME-3, ... (as PyTorch Lightning numbers its versions).
     */
    static Path defaultOut(String dataset) {
        String name = Path.of(dataset).getFileName().toString();
        int dot = name.indexOf('.');
        String base = DataKind.of(dataset) == DataKind.IMAGES || dot <= 0 ? name : name.substring(0, dot);
        Path out = Path.of("runs", base);
        for (int n = 2; taken(out); n++) {
            out = Path.of("runs", base + "-" + n);
        }
        return out;
    }

    private static boolean taken(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Files.exists(folder);
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }
}
