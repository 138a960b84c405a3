package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Augmentation;
import dev.descent.data.Dataset;
import dev.descent.data.Normalizer;
import dev.descent.data.Splits;
import dev.descent.data.table.TableReader;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.loss.Regularization;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.init.OutputInit;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.optim.Schedule;
import dev.descent.tensor.Parallel;
import dev.descent.train.Baseline;
import dev.descent.train.Callback;
import dev.descent.train.Diagnosis;
import dev.descent.train.DiagnosisCollector;
import dev.descent.train.EarlyStopping;
import dev.descent.train.EpochStats;
import dev.descent.train.Evaluation;
import dev.descent.train.ProgressBar;
import dev.descent.data.Task;
import dev.descent.train.TrainedModel;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code descent train}: trains a network on a data set and saves a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network and save a checkpoint (weights, config, optimizer state, history).",
                "Example: descent train mnist --layers 512,256 --dropout 0.2 --epochs 15 --out runs/mnist"})
final class TrainCommand implements Runnable {
    static final String DEFAULT_OUT = "runs/mnist";
    static final String HISTORY_FILE = "history.jsonl";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    TableOptions table;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "Model specification, e.g. \"conv(32,3) relu maxpool(2) flatten dense(10)\", or a preset: mlp, lenet5, cnn (overrides --layers/--activation/--dropout; see `descent summary`).")
    String model;

    @Option(names = "--layers", split = ",", paramLabel = "N,N", defaultValue = "512,256",
            description = "Hidden layer widths of the MLP (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Hidden activation: relu, leaky_relu, elu, gelu, silu, sigmoid, tanh (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--dropout", paramLabel = "RATE", defaultValue = "0.2", description = "Dropout rate after each hidden layer (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "Optimizer name; see `descent optimizers` (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: the optimizer's).")
    Double learningRate;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "cosine",
            description = "Learning-rate schedule: constant, or cosine (decays to 0 over the --epochs of this command) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--opt", paramLabel = "K=V,...", description = "Optimizer hyperparameters, e.g. b1=0.9,eps=1e-7.")
    String hyperparameters;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "Epochs to train, in total when resuming (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "3",
            description = "Early stopping: epochs without validation improvement before stopping; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--min-delta", paramLabel = "DELTA", defaultValue = "0", description = "Early stopping: smallest improvement that counts (default: ${DEFAULT-VALUE}).")
    double minDelta;

    @Option(names = "--validation", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Share of the training set held out for validation, its last part (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--stratify", description = "Hold out a stratified random validation set instead of the last part.")
    boolean stratify;

    @Option(names = "--l1", paramLabel = "LAMBDA", defaultValue = "0", description = "L1 penalty λ·Σ|w| on the weights (default: ${DEFAULT-VALUE}).")
    double l1;

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "0", description = "L2 penalty λ·Σw² on the weights (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--augment", paramLabel = "K=V,...",
            description = "Augment the training images on the fly, e.g. rotate=10,translate=2,scale=0.1,noise=0.05 (also crop, elastic); see `descent augment --help`.")
    String augment;

    @Option(names = "--output-init", description = "Lecture's output-layer rule: zero output weights, bias = log class frequency.")
    boolean outputInit;

    @Option(names = "--init-constant", paramLabel = "C",
            description = "Start every weight at C and every bias at 0 (the symmetric start the lecture warns about).")
    Double initConstant;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the initial weights, batch order and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = DEFAULT_OUT, description = "Checkpoint folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue training from this checkpoint, with its model, optimizer state and seed (writes to --out).")
    Path resume;

    @Option(names = "--json", description = "End with one JSON line of results on standard output.")
    boolean json;

    @Option(names = "--no-plots", description = "Do not draw the loss, accuracy and confusion-matrix pictures into --out.")
    boolean noPlots;

    /** The optimizer of this run: from the options, or from the checkpoint when resuming. */
    private String optimizerName;
    private Map<String, Double> optimizerSettings;

    @Override
    public void run() {
        validateOptions();
        if (TableReader.isTableFile(data.dataset)) {
            new TabularTraining(this).run();
            return;
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        PrintStream log = System.err;
        long started = System.nanoTime();
        Checkpoint previous = resume == null ? null : Checkpoint.load(resume);
        Map<String, Object> savedTraining = previous == null ? Map.of() : section(previous, "training");
        if (previous != null) {
            seed = (long) Json.toDouble(savedTraining.getOrDefault("seed", seed));
            batchSize = (int) Json.toDouble(savedTraining.getOrDefault("batch_size", (long) batchSize));
        }
        chooseOptimizer(previous);
        if (previous != null && augment == null && savedTraining.get("augment") instanceof String saved) {
            augment = saved;
        }
        Augmentation.parse(augment); // bad settings fail here, before the data loads
        if (previous == null && model != null) {
            ModelSpec.parse(model);
        }
        OptimizerRegistry.create(optimizerName, optimizerSettings); // unknown names fail here, before the data loads
        DataOptions.Loaded loaded = data.load();
        Splits.Split split = validation == 0 ? new Splits.Split(loaded.train(), null)
                : stratify ? Splits.stratified(loaded.train(), validation, seed) : Splits.holdoutLast(loaded.train(), validation);

        TrainedModel trained = previous != null ? TrainedModel.fromCheckpoint(previous) : newModel(split.train(), loaded);
        Dataset train = normalized(trained, split.train());
        Dataset val = split.validation() == null ? null : normalized(trained, split.validation());
        Dataset test = normalized(trained, loaded.test());

        long totalSteps = (long) epochs * ((train.size() + batchSize - 1) / batchSize);
        GradientTransformation tx = OptimizerRegistry.create(optimizerName, optimizerSettings, learningRateShape(schedule, totalSteps));
        Optimizer opt = new Optimizer(tx, trained.network());
        int startEpoch = 0;
        List<String> history = new ArrayList<>();
        if (previous != null) {
            opt.setState(previous.optimizerState(tx.init(opt.params())));
            opt.setStepCount((long) Json.toDouble(savedTraining.get("step")));
            startEpoch = (int) Json.toDouble(savedTraining.get("epoch"));
            history.addAll(readHistory(resume));
            if (startEpoch >= epochs) {
                throw new DescentException("the checkpoint in " + resume + " has already trained " + startEpoch
                        + " epochs; ask for more with --epochs N (N > " + startEpoch + ")");
            }
        }

        Module network = trained.network();
        log.printf(Locale.ROOT, "descent: %s | %,d parameters | %s %s | %,d train, %,d validation, %,d test examples%n",
                trained.spec(), network.parameterCount(), optimizerName, effectiveSettings(), train.size(),
                val == null ? 0 : val.size(), test.size());
        Regularization penalty = l1 == 0 && l2 == 0 ? null : new Regularization(l1, l2);
        Trainer trainer = new Trainer(network, Loss.softmaxCrossEntropy(), opt,
                new Trainer.Config(epochs, batchSize, seed, false, Task.CLASSIFICATION, startEpoch),
                penalty == null ? null : penalty::penalty);
        Augmentation augmentation = Augmentation.parse(augment);
        if (!augmentation.isIdentity()) {
            Normalizer n = trained.normalizer();
            if (n != null && n.mode() != Normalizer.Mode.GLOBAL) {
                throw new DescentException("--augment needs inputs standardized globally; this model's normalizer is " + n.mode());
            }
            trainer.augmentTrainingInputs(n == null ? augmentation : augmentation.forStandardizedInputs(n.mean()[0], n.std()[0]));
        }
        trainer.addCallback(new ProgressBar(log, Terminal.isInteractive()));
        EarlyStopping stopping = patience > 0 ? new EarlyStopping(patience, minDelta, true) : null;
        if (stopping != null) {
            trainer.addCallback(stopping);
        }
        DiagnosisCollector diagnostics = new DiagnosisCollector((val == null ? train : val).slice(0, Math.min(256,
                (val == null ? train : val).size())).inputs());
        trainer.addCallback(diagnostics);
        trainer.addCallback(new Callback() {
            @Override
            public void onEpochEnd(Trainer t, EpochStats stats) {
                Map<String, Object> line = new LinkedHashMap<>(stats.toMap());
                line.putAll(diagnostics.epochFigures());
                history.add(Json.write(line));
                save(trained, opt, stats.epoch(), history, null);
            }
        });
        try {
            trainer.fit(train, val);
        } catch (TrainingDivergedException e) {
            diagnostics.diverged(e);
            TrainReport.printDiagnosis(log, diagnose(trainer, diagnostics, null, null, 0));
            throw e;
        }

        Evaluation testEval = trainer.evaluate(test);
        Evaluation baseline = Baseline.evaluate(Task.CLASSIFICATION, train, test);
        int keptEpoch = stopping == null ? 0 : stopping.bestEpoch();
        Diagnosis diagnosis = diagnose(trainer, diagnostics, testEval, baseline, keptEpoch);
        List<EpochStats> epochsRun = trainer.history();
        int lastEpoch = epochsRun.isEmpty() ? startEpoch : epochsRun.get(epochsRun.size() - 1).epoch();
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("test_accuracy", testEval.accuracy());
        summary.put("test_loss", testEval.loss());
        summary.put("baseline_accuracy", baseline.accuracy());
        summary.put("baseline_loss", baseline.loss());
        summary.put("epochs", lastEpoch);
        if (stopping != null && stopping.bestEpoch() > 0) {
            summary.put("best_epoch", stopping.bestEpoch());
        }
        epochsRun.stream().filter(e -> e.epoch() == (keptEpoch > 0 ? keptEpoch : lastEpoch)).findFirst().ifPresent(e -> {
            summary.put("val_loss", e.validationLoss());
            summary.put("val_accuracy", e.validationAccuracy());
            summary.values().removeIf(v -> v instanceof Double d && d.isNaN());
        });
        summary.put("diagnosis", diagnosis.toMap());
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        summary.put("parameters", network.parameterCount());
        summary.put("out", out.toString());
        save(trained, opt, lastEpoch, history, summary);

        log.printf(Locale.ROOT, "test accuracy %.2f%%, loss %.4f  (naive baseline, always the majority class: %.2f%%, loss %.4f)%n",
                100 * testEval.accuracy(), testEval.loss(), 100 * baseline.accuracy(), baseline.loss());
        if (stopping != null && stopping.bestEpoch() > 0 && stopping.bestEpoch() < lastEpoch) {
            log.printf("early stopping: kept the weights of epoch %d (lowest validation loss)%n", stopping.bestEpoch());
        }
        TrainReport.printDiagnosis(log, diagnosis);
        if (!noPlots) {
            TrainReport.writePlots(out, history, keptEpoch, network, test, trained.classes());
        }
        log.printf(Locale.ROOT, "saved %s (%.1fs)%n", out, seconds);
        if (json) {
            spec.commandLine().getOut().println(Json.write(summary));
        }
    }

    private static Diagnosis diagnose(Trainer trainer, DiagnosisCollector diagnostics, Evaluation model,
                                      Evaluation baseline, int keptEpoch) {
        return Diagnosis.of(new Diagnosis.Inputs(trainer.history(), model, baseline, Task.CLASSIFICATION,
                diagnostics.divergence(), diagnostics.gradientNorms(), diagnostics.deadRelu(), keptEpoch));
    }

    /** The shape of the learning rate over the run: constant, or a cosine decay to 0 over {@code totalSteps}. */
    static Schedule learningRateShape(String schedule, long totalSteps) {
        return switch (schedule) {
            case "constant" -> Schedule.constant(1);
            case "cosine" -> Schedule.cosineDecay(1, Math.max(1, totalSteps), 0, 1);
            default -> throw new DescentException("unknown --schedule '" + schedule + "'; choose constant or cosine");
        };
    }

    private void chooseOptimizer(Checkpoint previous) {
        if (previous == null) {
            optimizerName = optimizer;
            optimizerSettings = OptimizerRegistry.parse(hyperparameters == null ? "" : hyperparameters);
            if (learningRate != null) {
                optimizerSettings.put("lr", learningRate);
            }
            return;
        }
        Map<String, Object> saved = section(previous, "optimizer");
        optimizerName = (String) saved.get("name");
        schedule = (String) saved.getOrDefault("schedule", "constant");
        optimizerSettings = new LinkedHashMap<>();
        Object settings = saved.get("hyperparameters");
        if (settings instanceof Map<?, ?> m) {
            m.forEach((k, v) -> optimizerSettings.put((String) k, Json.toDouble(v)));
        }
    }

    /** The optimizer's defaults with this run's settings over them. */
    private Map<String, Double> effectiveSettings() {
        Map<String, Double> all = new LinkedHashMap<>(OptimizerRegistry.defaults(optimizerName));
        all.putAll(optimizerSettings);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Checkpoint c, String key) {
        if (c.config().get(key) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new DescentException("the checkpoint's config.json has no \"" + key + "\" section; it cannot be resumed, train anew");
    }

    private static List<String> readHistory(Path dir) {
        Path file = dir.resolve(HISTORY_FILE);
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); check the file permissions", e);
        }
    }

    private void validateOptions() {
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
        require(validation >= 0 && validation < 1, "--validation must be in [0, 1), got " + validation);
        require(patience >= 0, "--patience must be 0 (off) or more, got " + patience);
        require(l1 >= 0 && l2 >= 0, "--l1 and --l2 must not be negative");
        require(threads == null || threads >= 1, "--threads must be at least 1");
        require(learningRate == null || learningRate > 0, "--lr must be positive, got " + learningRate);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new DescentException(message);
        }
    }

    private TrainedModel newModel(Dataset train, DataOptions.Loaded loaded) {
        ModelSpec modelSpec = model != null ? ModelSpec.parse(model)
                : ModelSpec.mlp(layers, activation, dropout, loaded.classes());
        Normalizer normalizer = Normalizer.fit(train.inputs(), Normalizer.Mode.GLOBAL);
        TrainedModel m = TrainedModel.create(modelSpec, loaded.inputShape(), normalizer, Task.CLASSIFICATION,
                loaded.classes(), seed);
        if (initConstant != null) {
            m.network().namedParameters().forEach((name, p) -> p.fillInPlace(name.endsWith("weight") ? initConstant : 0));
        }
        if (outputInit) {
            List<Module> layersOfNet = new ArrayList<>(m.network().children().values());
            for (int i = layersOfNet.size() - 1; i >= 0; i--) {
                if (layersOfNet.get(i) instanceof Linear last) {
                    OutputInit.SOFTMAX.apply(last, train.targets());
                    break;
                }
            }
        }
        return m;
    }

    private static Dataset normalized(TrainedModel m, Dataset d) {
        return new Dataset(m.normalize(d.inputs()), d.targets());
    }

    private void save(TrainedModel trained, Optimizer opt, int epoch, List<String> history, Map<String, Object> results) {
        Map<String, Object> config = new LinkedHashMap<>(trained.config());
        Map<String, Object> optimizerConfig = new LinkedHashMap<>();
        optimizerConfig.put("name", optimizerName);
        optimizerConfig.put("hyperparameters", new LinkedHashMap<>(optimizerSettings));
        optimizerConfig.put("schedule", schedule);
        config.put("optimizer", optimizerConfig);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epoch", epoch);
        training.put("step", opt.stepCount());
        training.put("seed", seed);
        training.put("batch_size", batchSize);
        training.put("dataset", data.dataset);
        if (augment != null) {
            training.put("augment", augment);
        }
        config.put("training", training);
        if (results != null) {
            config.put("metrics", results);
        }
        config.put("provenance", Checkpoint.provenance(Version.VERSION,
                "descent train " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), seed));
        String jsonl = history.stream().map(line -> line + "\n").reduce("", String::concat);
        Checkpoint.of(trained.network().namedTensors(), config, opt.state()).save(out, Map.of(HISTORY_FILE, jsonl));
    }
}
