package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Augmentation;
import dev.descent.data.Dataset;
import dev.descent.data.ImageSet;
import dev.descent.data.Normalizer;
import dev.descent.data.Splits;
import dev.descent.data.Task;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.table.TableReader;
import dev.descent.data.text.TextCorpus;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The training pipeline behind {@code descent train}, one for every kind of data: check the
 * settings, open the output folder under Descent's rules ({@link RunFolder}), load and split
 * the data, fit the encoding on the training part, build the model (or restore it to resume),
 * fit it with a checkpoint after every epoch, evaluate it on the test set next to the naive
 * baseline, diagnose the run and save the final checkpoint with its metrics.
 *
 * <p>Every effective setting and the command line go into the checkpoint's {@code config.json}
 * ({@code "settings"}, {@code "provenance"}), so {@code --resume} restores all of them, refuses
 * contradicting ones ({@link TrainingSettings#resumedWith}) and continues bit for bit as the
 * uninterrupted run would. A diverging run fails ({@link TrainingDivergedException}) and leaves
 * the last good checkpoint. Everything the run has to say goes to {@code log}, one line each.
 */
public final class TrainingRun {
    /** The history file of a run folder: one JSON line per epoch. */
    public static final String HISTORY_FILE = "history.jsonl";
    private static final int DIAGNOSIS_PROBE = 256;

    /**
     * Where and how a run writes.
     *
     * @param folder      the run folder ({@code --out}, or the folder to resume)
     * @param mode        a new run, one replacing an earlier run's checkpoint, or a resumed run
     * @param commandLine the command that started it, for the provenance
     * @param version     Descent's version, for the provenance
     */
    public record Output(Path folder, RunFolder.Mode mode, String commandLine, String version) {
    }

    /**
     * What a finished run produced.
     *
     * @param summary the results by name (the {@code --json} line)
     * @param model   the trained network, or null for a tree algorithm
     * @param history the history lines of every epoch (resumed runs included), for the curves
     * @param test    the encoded test set (images), for the confusion matrix; or null
     * @param keptEpoch the epoch whose weights were kept
     */
    public record Result(Map<String, Object> summary, Model model, List<String> history, Dataset test, int keptEpoch) {
    }

    private final TrainingSettings settings;
    private final Output output;
    private final Consumer<String> log;
    private final long started = System.nanoTime();
    private final Checkpoint previous;
    private final Map<String, Object> provenance;

    private TrainingRun(TrainingSettings settings, Output output, Checkpoint previous, Consumer<String> log) {
        this.settings = settings;
        this.output = output;
        this.previous = previous;
        this.log = log;
        this.provenance = provenance();
    }

    /**
     * Runs the training {@code given} describes (with {@link RunFolder.Mode#RESUME}: continues the
     * run in the output folder, whose stored settings {@code given} may only extend).
     *
     * @throws DescentException for bad settings, data or output folders (before any work)
     * @throws TrainingDivergedException when training diverges
     */
    public static Result run(TrainingSettings given, Output output, Consumer<String> log) {
        Checkpoint previous = null;
        TrainingSettings settings = given;
        if (output.mode() == RunFolder.Mode.RESUME) {
            if (!Checkpoint.isCheckpoint(output.folder())) {
                throw new DescentException("no Descent checkpoint in " + output.folder() + " to resume; give the folder of"
                        + " an earlier `descent train` run");
            }
            previous = Checkpoint.load(output.folder());
            settings = storedSettings(previous, output.folder()).resumedWith(given, output.folder().toString());
            checkMoreToDo(previous, settings, output.folder());
        }
        settings.checkApplicable(given.given());
        checkEarly(settings);
        try (RunFolder folder = RunFolder.open(output.folder(), output.mode(), "--out")) {
            TrainingRun run = new TrainingRun(settings, output, previous, log);
            return switch (settings.kind()) {
                case IMAGES -> run.images(folder);
                case TABLE -> run.table(folder);
                case TEXT -> run.text(folder);
            };
        }
    }

    /** Refuses to resume a run that has done what its settings ask (its epochs, or its steps). */
    private static void checkMoreToDo(Checkpoint previous, TrainingSettings settings, Path folder) {
        Map<String, Object> state = Training.section(previous.config(), "training");
        int epoch = ((Number) state.get("epoch")).intValue();
        long maxSteps = (long) settings.get(Setting.MAX_STEPS);
        if (epoch >= settings.epochs() || (maxSteps > 0 && ((Number) state.get("step")).longValue() >= maxSteps)) {
            throw new DescentException("the run in " + folder + " has already trained " + epoch + " epochs"
                    + (maxSteps > 0 ? " (" + state.get("step") + " steps)" : "") + "; ask for more with --epochs N (N > "
                    + epoch + ")" + (maxSteps > 0 ? " or --max-steps" : ""));
        }
    }

    /** The settings a checkpoint stored, refusing checkpoints too old to have them. */
    private static TrainingSettings storedSettings(Checkpoint c, Path folder) {
        if (!(c.config().get("settings") instanceof Map<?, ?> stored)) {
            throw new DescentException("the checkpoint in " + folder + " does not record its settings (it was saved by an"
                    + " older Descent or by a Java program); it cannot be resumed exactly: train anew");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) stored;
        return TrainingSettings.fromConfig(map);
    }

    /** Checks what can be checked before the data loads: the optimizer, the model text, the augmentation. */
    private static void checkEarly(TrainingSettings settings) {
        if (settings.kind() == DataKind.TABLE && !settings.text(Setting.ALGORITHM).equals(Learners.NETWORK)) {
            return;
        }
        if (settings.optimizerObject() == null) {
            OptimizerRegistry.create(settings.text(Setting.OPTIMIZER), settings.hyperparameterValues());
        }
        if (settings.model() != null) {
            ModelSpec.parse(settings.model());
        }
        Augmentation.parse(settings.text(Setting.AUGMENT));
    }

    // ------------------------------------------------------------------ images

    private Result images(RunFolder folder) {
        Object dir = settings.get(Setting.DATA_DIR);
        ImageSet data = ImageSet.load(settings.text(Setting.DATASET), dir == null ? null : Path.of((String) dir),
                settings.integer(Setting.LIMIT));
        double share = settings.number(Setting.VALIDATION);
        Splits.Split split = share == 0 ? new Splits.Split(data.train(), null)
                : settings.flag(Setting.STRATIFY) ? Splits.stratified(data.train(), share, settings.seed())
                : Splits.holdoutLast(data.train(), share);
        Model model;
        if (previous != null) {
            model = Model.fromCheckpoint(previous);
        } else {
            List<String> names = IntStream.range(0, data.classes()).mapToObj(Integer::toString).toList();
            model = Model.build(spec(settings, data.classes()), Task.CLASSIFICATION, data.inputShape(), names,
                    Normalizer.fit(split.train().inputs(), Normalizer.Mode.GLOBAL), null, settings.seed());
        }
        checkOutputs(model);
        Dataset train = model.encode(split.train());
        Dataset validation = split.validation() == null ? null : model.encode(split.validation());
        Dataset test = model.encode(data.test());
        if (previous == null) {
            Training.initialize(model, settings, train);
        }
        log.accept(String.format(Locale.ROOT, "descent: %s | %,d parameters | %s | %,d train, %,d validation, %,d test examples",
                model.spec(), model.network().parameterCount(), describeOptimizer(), train.size(),
                validation == null ? 0 : validation.size(), test.size()));
        Fit fit = fit(folder, model, train, validation);
        Evaluation testEval = model.evaluate(data.test());
        Evaluation baseline = Baseline.evaluate(Task.CLASSIFICATION, train, test);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("test_accuracy", testEval.accuracy());
        summary.put("test_loss", testEval.loss());
        summary.put("baseline_accuracy", baseline.accuracy());
        summary.put("baseline_loss", baseline.loss());
        log.accept(String.format(Locale.ROOT, "test accuracy %.2f%%, loss %.4f  (naive baseline, always the majority class:"
                + " %.2f%%, loss %.4f)", 100 * testEval.accuracy(), testEval.loss(), 100 * baseline.accuracy(), baseline.loss()));
        Diagnosis diagnosis = fit.diagnose(testEval, baseline);
        return fit.finish(summary, diagnosis, test);
    }

    // ------------------------------------------------------------------ text

    /**
     * A character model on a text file or named text ({@link TextCorpus#locate}): the corpus's
     * contiguous 90/10 split in non-overlapping windows of {@link Setting#SEQ_LEN} characters,
     * the model (default {@link #textSpec}) scoring the next character at every step; the
     * validation part is its test, next to the unigram baseline (the training part's character
     * frequencies).
     */
    private Result text(RunFolder folder) {
        Path file = TextCorpus.locate(settings.text(Setting.DATASET), System.getenv());
        String text = TextCorpus.readText(file, settings.integer(Setting.LIMIT));
        int steps = settings.integer(Setting.SEQ_LEN);
        TextCorpus corpus = TextCorpus.of(text);
        Model model = previous != null ? Model.fromCheckpoint(previous)
                : Model.text(textSpec(settings, corpus.vocabulary().size()), corpus.vocabulary(), steps, settings.seed());
        if (!corpus.vocabulary().equals(model.vocabulary())) {
            throw new DescentException(file + " has other characters than when the run in " + output.folder()
                    + " began; resume it on the same text, or train a new run");
        }
        checkOutputs(model);
        if (corpus.unknownCharacters() > 0) {
            log.accept(String.format(Locale.ROOT, "descent: warning: %,d validation characters are not in the training"
                    + " part; they are left out", corpus.unknownCharacters()));
        }
        Dataset train = corpus.trainingWindows(steps), validation = corpus.validationWindows(steps);
        if (previous == null) {
            Training.initialize(model, settings, train);
        }
        log.accept(String.format(Locale.ROOT, "descent: %s | %,d parameters | %s | %s: %,d characters (vocabulary %d),"
                        + " %,d training and %,d validation windows of %d", model.spec(), model.network().parameterCount(),
                describeOptimizer(), file.getFileName(), text.codePointCount(0, text.length()), corpus.vocabulary().size(), train.size(),
                validation.size(), steps));
        Fit fit = fit(folder, model, train, validation);
        EpochStats kept = fit.result.kept();
        Evaluation validated = kept != null ? new Evaluation(kept.validationLoss(), kept.validationAccuracy(), validation.size())
                : model.evaluate(validation);
        Evaluation baseline = Baseline.evaluate(Task.CLASSIFICATION, perCharacter(train), perCharacter(validation));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("baseline_loss", baseline.loss());
        summary.put("baseline_bpc", Loss.bitsPerCharacter(baseline.loss()));
        log.accept(String.format(Locale.ROOT, "validation %.4f bits per character, loss %.4f, next-character accuracy %.2f%%"
                        + "  (unigram baseline, the training part's character frequencies: %.4f bits per character)",
                Loss.bitsPerCharacter(validated.loss()), validated.loss(), 100 * validated.accuracy(),
                Loss.bitsPerCharacter(baseline.loss())));
        return fit.finish(summary, fit.diagnose(validated, baseline), null);
    }

    /** Windows as one example per character (inputs and targets {@code [N·T]}), as the unigram baseline reads them. */
    private static Dataset perCharacter(Dataset windows) {
        return new Dataset(windows.inputs().reshape(-1), windows.targets().reshape(-1));
    }

    /**
     * The model of a text run: {@link Setting#MODEL}, or {@code embedding(V,64) lstm(256,seq=true)
     * dense(V)} over the {@code characters} of the vocabulary (the PyTorch reference's).
     */
    private static ModelSpec textSpec(TrainingSettings settings, int characters) {
        String model = settings.model();
        return ModelSpec.parse(model != null ? model
                : "embedding(" + characters + ",64) lstm(256,seq=true) dense(" + characters + ")");
    }

    // ------------------------------------------------------------------ tables

    /**
     * The table a table run reads: its {@link Setting#FEATURES} and target columns, or all; read
     * by the settings' cluster when they have one ({@link Cluster#readTable}), else from the file here.
     */
    static Table readTable(TrainingSettings settings, Boolean savedHeader) {
        boolean header = !settings.flag(Setting.NO_HEADER) && (savedHeader == null || savedHeader);
        Object delimiter = settings.get(Setting.DELIMITER);
        Character c = delimiter == null ? null : delimiter.equals("tab") || delimiter.equals("\\t") ? '\t'
                : ((String) delimiter).charAt(0);
        String file = settings.text(Setting.DATASET);
        List<String> features = texts(settings, Setting.FEATURES);
        UnaryOperator<List<String>> columns = names -> Table.selected(Path.of(file).getFileName().toString(), names,
                features, settings.text(Setting.TARGET));
        CsvReader.Format format = new CsvReader.Format(c, header);
        if (settings.batchGradients() instanceof Cluster cluster) {
            return cluster.readTable(file, format, columns);
        }
        Table table = TableReader.read(Path.of(file), format);
        return features.isEmpty() ? table : table.columns(columns.apply(table.names()));
    }

    /** The preprocessing the settings ask of a table. */
    static Preprocessor.Options preprocessing(TrainingSettings settings) {
        Object task = settings.get(Setting.TASK);
        return new Preprocessor.Options(settings.text(Setting.TARGET), Set.copyOf(texts(settings, Setting.CATEGORICAL)),
                Set.copyOf(texts(settings, Setting.IGNORE)), settings.text(Setting.MISSING).equals("error")
                ? Preprocessor.MissingPolicy.ERROR : Preprocessor.MissingPolicy.IMPUTE,
                task == null ? null : Task.valueOf(((String) task).toUpperCase(Locale.ROOT)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(TrainingSettings settings, Setting s) {
        return (List<String>) settings.get(s);
    }

    /** The experiment on the settings' table (its target, splits and preprocessing), logged with {@code what} will be done. */
    public static TableExperiment experiment(TrainingSettings settings, String what, Consumer<String> log) {
        Table table = readTable(settings, null);
        int limit = settings.integer(Setting.LIMIT);
        if (limit > 0 && limit < table.rowCount()) {
            table = table.rows(IntStream.range(0, limit).toArray());
        }
        TableExperiment experiment = new TableExperiment(table, preprocessing(settings), settings.number(Setting.VALIDATION),
                settings.seed(), warnings(log));
        log.accept(String.format(Locale.ROOT, "descent: %s: %,d rows × %d columns | %s | %s", table.source(),
                table.rowCount(), table.columnCount(), experiment.describeTask(), what));
        return experiment;
    }

    /** A printer of warnings that says each distinct one once. */
    public static Consumer<String> warnings(Consumer<String> log) {
        Set<String> seen = new LinkedHashSet<>();
        return w -> {
            if (seen.add(w)) {
                log.accept("descent: warning: " + w);
            }
        };
    }

    private Result table(RunFolder folder) {
        TableExperiment experiment = experiment(settings, settings.text(Setting.ALGORITHM), log);
        TableExperiment.Prepared prepared = experiment.prepare(experiment.holdout(settings.number(Setting.TEST_SIZE)));
        String algorithm = settings.text(Setting.ALGORITHM);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("algorithm", algorithm);
        summary.put("task", experiment.target().task().name().toLowerCase(Locale.ROOT));
        if (!algorithm.equals(Learners.NETWORK)) {
            if (previous != null) {
                throw new DescentException("--algorithm " + algorithm + " trains in one go; there is nothing to resume");
            }
            Learner.Fitted fitted = Learners.create(algorithm, settings).fit(prepared.preprocessor(), prepared.train(),
                    prepared.validation(), log);
            TableExperiment.Result result = prepared.score(fitted, fitted.predict(experiment.encodeInputs(prepared)));
            reportTable(experiment, prepared, result, summary);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("algorithm", algorithm);
            config.put("table", prepared.preprocessor().toConfig());
            config.put("settings", settings.toConfig());
            config.put("provenance", provenance);
            Result r = finished(summary, null, List.of(), null, 0);
            config.put("metrics", new LinkedHashMap<>(summary));
            Learners.save(algorithm, fitted, folder.path(), config);
            return saved(r);
        }
        Model model = previous != null ? Model.fromCheckpoint(previous) : NetworkLearner.model(settings, prepared.preprocessor());
        checkOutputs(model);
        Dataset train = NetworkLearner.dataset(prepared.train(), model);
        Dataset validation = prepared.validation() == null ? null : NetworkLearner.dataset(prepared.validation(), model);
        if (previous == null) {
            Training.initialize(model, settings, train);
        }
        log.accept(String.format(Locale.ROOT, "descent: %s | %,d parameters | %s | %,d train, %,d validation, %,d test rows",
                model.spec(), model.network().parameterCount(), describeOptimizer(), train.size(),
                validation == null ? 0 : validation.size(), prepared.test().rowCount()));
        Fit fit = fit(folder, model, train, validation);
        NetworkLearner.FittedNetwork fitted = new NetworkLearner.FittedNetwork(model, fit.result);
        TableExperiment.Result result = prepared.score(fitted, fitted.predict(experiment.encodeInputs(prepared)));
        reportTable(experiment, prepared, result, summary);
        Evaluation modelEval = reportAsEvaluation(result.model()), baselineEval = reportAsEvaluation(result.baseline());
        return fit.finish(summary, fit.diagnose(modelEval, baselineEval), null);
    }

    /** A table report as the diagnosis reads it: accuracy and log loss, or the mean squared error. */
    private static Evaluation reportAsEvaluation(Report r) {
        if (r instanceof ClassificationReport c) {
            return new Evaluation(c.logLoss(), c.accuracy(), c.count());
        }
        RegressionReport g = (RegressionReport) r;
        return new Evaluation(g.rmse() * g.rmse(), Double.NaN, g.count());
    }

    /** Logs the test scores and puts them, with validation scores for tuning, into the summary. */
    private void reportTable(TableExperiment experiment, TableExperiment.Prepared prepared, TableExperiment.Result r,
                             Map<String, Object> summary) {
        log.accept(r.fitted().summary());
        TableExperiment.logResult(log, "test", r.model(), r.baseline(), prepared.test().rowCount());
        if (r.model() instanceof ClassificationReport c && c.classes() <= 20) {
            TableExperiment.logClasses(log, c, experiment.target().classes());
        }
        r.model().metrics().forEach((k, v) -> summary.put("test_" + k, v));
        r.baseline().metrics().forEach((k, v) -> summary.put("baseline_" + k, v));
        if (prepared.validation() != null) {
            Report v = prepared.validationReport(r.fitted().predict(prepared.validation().inputs()));
            Evaluation e = reportAsEvaluation(v);
            summary.put("val_loss", e.loss());
            if (!Double.isNaN(e.accuracy())) {
                summary.put("val_accuracy", e.accuracy());
            }
        }
        summary.putAll(r.fitted().facts());
    }

    // ------------------------------------------------------------------ the network's fit, checkpointed

    /** A network's fit in progress: the training, its collectors, the history, and how to save. */
    private final class Fit {
        private final RunFolder folder;
        private final Model model;
        private final Training training;
        private final DiagnosisCollector diagnostics;
        private final List<String> history = new ArrayList<>();
        private TrainingResult result;
        private Map<String, Tensor> latestWeights;
        private int savedEpoch;

        Fit(RunFolder folder, Model model, Training training, DiagnosisCollector diagnostics) {
            this.folder = folder;
            this.model = model;
            this.training = training;
            this.diagnostics = diagnostics;
        }

        /** Saves the checkpoint of the epoch just finished (the callback's body). */
        void epochEnded(Trainer trainer, EpochStats stats) {
            Map<String, Object> line = new LinkedHashMap<>(stats.toMap());
            line.putAll(diagnostics.epochFigures());
            history.add(Json.write(line));
            latestWeights = copy(model.network().namedTensors());
            save(trainer.optimizer(), stats.epoch(), null);
        }

        /** Saves the kept weights (the best epoch's with early stopping), the latest apart when they differ. */
        void save(dev.descent.optim.Optimizer optimizer, int epoch, Map<String, Object> metrics) {
            EarlyStopping stopping = training.earlyStopping();
            boolean keptApart = stopping != null && stopping.bestWeights() != null && stopping.bestEpoch() != epoch;
            Map<String, Tensor> weights = keptApart ? stopping.bestWeights() : latestWeights;
            Map<String, Object> config = new LinkedHashMap<>(model.config());
            config.put("settings", settings.toConfig());
            config.put("optimizer", optimizerConfig());
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epoch", epoch);
            state.put("step", optimizer.stepCount());
            state.put("seed", settings.seed());
            state.put("first_loss", training.firstLoss());
            if (stopping != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("best", stopping.state().best());
                s.put("best_epoch", stopping.state().bestEpoch());
                s.put("waited", stopping.state().waited());
                state.put("early_stopping", s);
            }
            config.put("training", state);
            if (metrics != null) {
                config.put("metrics", metrics);
            }
            config.put("provenance", provenance);
            String jsonl = String.join("", history.stream().map(l -> l + "\n").toList());
            Checkpoint.of(weights, config, optimizer.state()).withLatestWeights(keptApart ? latestWeights : Map.of())
                    .save(folder.path(), Map.of(HISTORY_FILE, jsonl));
            savedEpoch = epoch;
        }

        Diagnosis diagnose(Evaluation model, Evaluation baseline) {
            return Diagnosis.of(new Diagnosis.Inputs(result == null ? List.of() : result.history(), model, baseline,
                    this.model.task(), diagnostics.divergence(), diagnostics.gradientNorms(), diagnostics.deadRelu(),
                    result == null ? 0 : result.bestEpoch()));
        }

        /** Logs the ending, writes the final checkpoint with the results, and returns them. */
        Result finish(Map<String, Object> summary, Diagnosis diagnosis, Dataset test) {
            int last = result.lastEpoch() > 0 ? result.lastEpoch() : startEpoch();
            summary.put("epochs", last);
            if (result.bestEpoch() > 0) {
                summary.put("best_epoch", result.bestEpoch());
            }
            EpochStats kept = result.kept();
            if (kept != null) {
                putFinite(summary, "val_loss", kept.validationLoss());
                putFinite(summary, "val_accuracy", kept.validationAccuracy());
                putFinite(summary, "val_bpc", kept.validationBitsPerCharacter());
            }
            summary.put("diagnosis", diagnosis.toMap());
            summary.put("parameters", model.network().parameterCount());
            if (result.bestEpoch() > 0 && result.bestEpoch() < last) {
                log.accept(String.format(Locale.ROOT, "early stopping: kept the weights of epoch %d (lowest validation loss)",
                        result.bestEpoch()));
            }
            diagnosis.lines().forEach(log);
            Result r = finished(summary, model, history, test, result.keptEpoch());
            if (latestWeights != null) {
                save(result.optimizer(), last, summary);
            }
            return saved(r);
        }
    }

    private static void putFinite(Map<String, Object> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> tensors) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        tensors.forEach((name, t) -> m.put(name, t.copy()));
        return m;
    }

    private int startEpoch() {
        return previous == null ? 0 : ((Number) Training.section(previous.config(), "training").get("epoch")).intValue();
    }

    /** Fits {@code model} with a checkpoint in {@code folder} after every epoch, from the start or the checkpoint resumed. */
    private Fit fit(RunFolder folder, Model model, Dataset train, Dataset validation) {
        Training.Start start = Training.Start.fresh();
        List<String> history = new ArrayList<>();
        if (previous != null) {
            Map<String, Object> state = Training.section(previous.config(), "training");
            int epoch = ((Number) state.get("epoch")).intValue();
            EarlyStopping.State stopping = null;
            if (state.get("early_stopping") instanceof Map<?, ?> s) {
                stopping = new EarlyStopping.State(Json.toDouble(s.get("best")), ((Number) s.get("best_epoch")).intValue(),
                        ((Number) s.get("waited")).intValue());
            }
            start = new Training.Start(epoch, previous, stopping, Json.toDouble(state.getOrDefault("first_loss", "NaN")));
            history.addAll(readHistory(output.folder(), epoch));
        }
        Dataset probeSource = validation == null ? train : validation;
        DiagnosisCollector diagnostics = new DiagnosisCollector(
                probeSource.slice(0, Math.min(DIAGNOSIS_PROBE, probeSource.size())).inputs());
        Fit[] holder = new Fit[1];
        TrainingSettings withCallbacks = settings.callbacks(diagnostics, new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochStats stats) {
                holder[0].epochEnded(trainer, stats);
            }
        });
        Training training = new Training(model, withCallbacks, start);
        Fit fit = new Fit(folder, model, training, diagnostics);
        fit.history.addAll(history);
        holder[0] = fit;
        try {
            fit.result = training.run(train, validation);
        } catch (TrainingDivergedException e) {
            diagnostics.diverged(e);
            fit.diagnose(null, null).lines().forEach(log);
            int saved = fit.savedEpoch > 0 ? fit.savedEpoch : startEpoch();
            log.accept(saved > 0 ? folder.path() + " keeps the checkpoint of epoch " + saved + ", before the divergence"
                    : "nothing was saved");
            throw e;
        }
        return fit;
    }

    /** The first {@code epochs} lines of a run folder's history. */
    private static List<String> readHistory(Path dir, int epochs) {
        Path file = AtomicFiles.current(dir, HISTORY_FILE);
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                    : List.of();
            return lines.subList(0, Math.min(epochs, lines.size()));
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); check the file permissions", e);
        }
    }

    /** The result, with the run's time and folder added to the summary. */
    private Result finished(Map<String, Object> summary, Model model, List<String> history, Dataset test, int kept) {
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        summary.put("out", output.folder().toString());
        return new Result(summary, model, List.copyOf(history), test, kept);
    }

    private Result saved(Result r) {
        log.accept(String.format(Locale.ROOT, "saved %s (%.1fs)", output.folder(), (System.nanoTime() - started) / 1e9));
        return r;
    }

    // ------------------------------------------------------------------ model, optimizer, provenance

    /**
     * The model the settings describe: {@link Setting#MODEL} (a specification or preset), or a
     * multilayer perceptron of {@link Setting#LAYERS}, {@link Setting#ACTIVATION} and
     * {@link Setting#DROPOUT} ending in {@code outputs}.
     */
    public static ModelSpec spec(TrainingSettings settings, int outputs) {
        String model = settings.model();
        return model != null ? ModelSpec.parse(model)
                : ModelSpec.mlp((int[]) settings.get(Setting.LAYERS), settings.text(Setting.ACTIVATION),
                settings.number(Setting.DROPOUT), outputs);
    }

    /** Refuses a classifier whose output width does not match its classes (C logits, or one for two classes). */
    static void checkOutputs(Model model) {
        int width = model.outputWidth(), classes = model.classNames().size();
        boolean fits = model.task() == Task.REGRESSION ? width == 1 : width == classes || (classes == 2 && width == 1);
        if (!fits) {
            int want = model.task() == Task.REGRESSION ? 1 : classes;
            throw new DescentException("the model ends in " + width + " outputs but the data needs " + want
                    + (model.task() == Task.REGRESSION ? " (one value)" : " (one per class)") + "; end the model with dense("
                    + want + ")");
        }
    }

    private String describeOptimizer() {
        if (settings.optimizerObject() != null) {
            return "a custom optimizer";
        }
        String name = settings.text(Setting.OPTIMIZER);
        return name + " " + OptimizerRegistry.describe(name, effectiveHyperparameters());
    }

    /** Every hyperparameter of the named optimizer with the value this run trains with. */
    private Map<String, Double> effectiveHyperparameters() {
        String name = settings.text(Setting.OPTIMIZER);
        return OptimizerRegistry.effectiveSettings(name,
                OptimizerRegistry.trainingSettings(name, settings.hyperparameterValues()));
    }

    /** The optimizer for config.json: name, every hyperparameter's effective value, schedule. */
    private Map<String, Object> optimizerConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (settings.optimizerObject() != null) {
            m.put("name", "custom");
            return m;
        }
        m.put("name", settings.text(Setting.OPTIMIZER));
        m.put("hyperparameters", effectiveHyperparameters());
        m.put("schedule", settings.text(Setting.SCHEDULE));
        return m;
    }

    /** Version, Java, date, the first command line and the seed; a resumed run adds its date and command line. */
    private Map<String, Object> provenance() {
        if (previous != null && previous.config().get("provenance") instanceof Map<?, ?> earlier) {
            Map<String, Object> p = new LinkedHashMap<>();
            earlier.forEach((k, v) -> p.put((String) k, v));
            List<Object> resumed = new ArrayList<>(p.get("resumed") instanceof List<?> l ? l : List.of());
            Map<String, Object> now = new LinkedHashMap<>();
            now.put("date", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            now.put("command_line", output.commandLine());
            now.put("descent_version", output.version());
            resumed.add(now);
            p.put("resumed", resumed);
            return p;
        }
        return Checkpoint.provenance(output.version(), output.commandLine(), settings.seed());
    }
}
