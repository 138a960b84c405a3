package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.data.Dataset;
import dev.descent.data.Normalizer;
import dev.descent.data.Task;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.text.TextCorpus;
import dev.descent.data.text.TextGenerator;
import dev.descent.data.text.Vocabulary;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A network with everything needed to use it on raw data: its specification, the shape of one
 * input, the task (classes or values), the class names, and the input encoding fitted on the
 * training data (a {@link Normalizer} for images and arrays, a table {@link Preprocessor} for
 * tables, the {@link Vocabulary} for a character model, whose classes are its characters). This is what a checkpoint's {@code config.json} describes, so a model saved by the
 * command line loads here and the reverse.
 *
 * <pre>
 *   Model model = Model.classifier("flatten dense(128) relu dense(10)");
 *   model.fit(mnist.train(), TrainingSettings.defaults().epochs(5));
 *   Prediction p = model.predict(images);          // p.classes(), p.probabilities()
 *   model.save(Path.of("runs/java"));  Model again = Model.load(Path.of("runs/java"));
 * </pre>
 * A classifier's head is read from its output width: {@code C > 1} logits with softmax
 * cross-entropy, or one logit {@code z} with binary cross-entropy and probabilities
 * {@code [1 − σ(z), σ(z)]}; a regressor's outputs are values (mean squared error). A character
 * model scores the next character at every step of a window of ids {@code [T]} (softmax
 * cross-entropy averaged over every step) and writes text with {@link #generate}.
 */
public final class Model {
    private final ModelSpec spec;
    private final Task task;
    private int[] inputShape;
    private List<String> classNames = List.of();
    private Normalizer normalizer;
    private Preprocessor table;
    private Vocabulary vocabulary;
    private Sequential network;
    private int outputWidth;

    private Model(ModelSpec spec, Task task) {
        this.spec = spec;
        this.task = task;
    }

    /** A classifier of the given specification (or preset), built on its first {@link #fit}. */
    public static Model classifier(String spec) {
        return new Model(ModelSpec.parse(spec), Task.CLASSIFICATION);
    }

    /** A regressor (real-valued outputs) of the given specification, built on its first {@link #fit}. */
    public static Model regressor(String spec) {
        return new Model(ModelSpec.parse(spec), Task.REGRESSION);
    }

    /**
     * A model built now: its network for inputs of shape {@code inputShape} (without the batch
     * axis), weights drawn from {@code seed}.
     *
     * @param classNames the class names (classification), or empty
     * @param normalizer the input standardization, or null
     * @param table      the table encoding, or null
     */
    static Model build(ModelSpec spec, Task task, int[] inputShape, List<String> classNames, Normalizer normalizer,
                       Preprocessor table, long seed) {
        Model m = new Model(spec, task);
        m.inputShape = inputShape.clone();
        m.classNames = List.copyOf(classNames);
        m.normalizer = normalizer;
        m.table = table;
        m.network = spec.build(inputShape, new SplittableRandom(seed));
        int[] one = new int[inputShape.length + 1];
        one[0] = 1;
        System.arraycopy(inputShape, 0, one, 1, inputShape.length);
        try (var scope = Autograd.noGrad()) { // one zero example through the network gives the head's width
            Tensor out = m.network.eval().forward(Tensor.zeros(one));
            m.outputWidth = out.rank() < 2 ? 1 : out.dim(-1);
        } finally {
            m.network.train(true);
        }
        return m;
    }

    /**
     * A character model built now: {@code spec} over windows of {@code steps} ids of
     * {@code vocabulary}'s characters (its classes), weights drawn from {@code seed}.
     */
    static Model text(ModelSpec spec, Vocabulary vocabulary, int steps, long seed) {
        List<String> characters = IntStream.range(0, vocabulary.size()).mapToObj(vocabulary::character).toList();
        Model m = build(spec, Task.CLASSIFICATION, new int[] {steps}, characters, null, null, seed);
        m.vocabulary = vocabulary;
        return m;
    }

    // ------------------------------------------------------------------ fitting

    /**
     * Trains on {@code data} (raw inputs; class indices or values as targets) with
     * {@code settings}, holding out the last {@link Setting#VALIDATION} share for validation. On
     * the first call the network is built for the data's input shape and the input
     * standardization fitted on the training part (one mean and deviation for images, one per
     * feature for vectors).
     *
     * @return what happened, epoch by epoch
     * @throws TrainingDivergedException when the loss stops being finite or explodes
     */
    public TrainingResult fit(Dataset data, TrainingSettings settings) {
        double share = settings.number(Setting.VALIDATION);
        int held = (int) Math.floor(data.size() * share);
        Dataset train = held == 0 ? data : data.slice(0, data.size() - held);
        Dataset validation = held == 0 ? null : data.slice(data.size() - held, data.size());
        if (network == null) {
            int[] dims = data.inputs().dims();
            Normalizer.Mode mode = dims.length > 2 ? Normalizer.Mode.GLOBAL : Normalizer.Mode.PER_FEATURE;
            int classes = task == Task.CLASSIFICATION ? Math.max(2, data.numClasses()) : 0;
            List<String> names = IntStream.range(0, classes).mapToObj(Integer::toString).toList();
            Model built = build(spec, task, Arrays.copyOfRange(dims, 1, dims.length), names,
                    Normalizer.fit(train.inputs(), mode), null, settings.seed());
            inputShape = built.inputShape;
            classNames = built.classNames;
            normalizer = built.normalizer;
            network = built.network;
            outputWidth = built.outputWidth;
            Training.initialize(this, settings, encode(train));
        }
        return new Training(this, settings, Training.Start.fresh()).run(encode(train),
                validation == null ? null : encode(validation));
    }

    /** Loss and accuracy (classes) on raw {@code data}, in evaluation mode. */
    public Evaluation evaluate(Dataset data) {
        requireBuilt();
        return Trainer.evaluate(network, loss(), task, encode(data));
    }

    /**
     * A character model's loss (mean cross-entropy per character, nats) and next-character
     * accuracy on the validation part of {@code text} (its last 10%, {@link TextCorpus}), read
     * with the model's vocabulary (other characters left out) in windows as long as its training ones.
     */
    public Evaluation evaluateText(String text) {
        requireText("be evaluated on text");
        return evaluate(TextCorpus.of(text, vocabulary).validationWindows(inputShape[0]));
    }

    // ------------------------------------------------------------------ predicting

    /**
     * Predictions for raw inputs {@code [N, ...]} (the shape of the training inputs): class
     * probabilities and the most likely class, or values for regression. Evaluation mode,
     * nothing recorded.
     */
    public Prediction predict(Tensor raw) {
        requireBuilt();
        checkInputShape(raw);
        Tensor head = headOutputs(normalize(raw));
        if (task == Task.CLASSIFICATION) {
            return Prediction.classes(head, classNames);
        }
        double[] v = head.reshape(head.dim(0), -1).slice(1, 0, 1).toDoubleArray();
        if (table != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = table.target().decode(v[i]);
            }
        }
        return Prediction.values(v);
    }

    /**
     * The head's answer for encoded inputs: class probabilities {@code [N, C]} (the softmax of
     * the logits, or {@code [1 − σ(z), σ(z)]} for one logit), or the raw outputs for regression
     * (for a table model, standardized targets). Evaluation mode, nothing recorded.
     */
    Tensor headOutputs(Tensor encoded) {
        boolean wasTraining = network.isTraining();
        network.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor out = network.forward(encoded);
            if (task == Task.REGRESSION) {
                return out;
            }
            return out.dim(-1) == 1 ? Tensor.concat(1, out.sigmoid().neg().add(1), out.sigmoid()) : out.softmax(-1);
        } finally {
            network.train(wasTraining);
        }
    }

    /** Predictions for rows of raw feature values (vector inputs). */
    public Prediction predict(float[][] rows) {
        return predict(Tensor.of(rows));
    }

    /**
     * Predictions for the rows of a table with the columns the model was trained on (the target
     * column may be absent); unseen categories and missing values are reported to {@code warnings}.
     */
    public Prediction predict(Table rows, Consumer<String> warnings) {
        if (table == null) {
            throw new DescentException("this model was not trained on a table; give it " + describeInput());
        }
        return predict(table.inputs(rows, warnings));
    }

    private void checkInputShape(Tensor raw) {
        if (table != null) {
            return; // a table's rows are encoded already
        }
        Shape want = Shape.of(inputShape);
        if (raw.rank() != inputShape.length + 1 || !raw.shape().without(0).equals(want)) {
            throw new DescentException("the model wants inputs of shape [N, " + joined(inputShape) + "], got "
                    + raw.shape() + "; give " + describeInput());
        }
    }

    private String describeInput() {
        return table != null ? "table rows with the columns " + String.join(", ", table.inputNames())
                : "inputs of shape [" + joined(inputShape) + "] each";
    }

    private static String joined(int[] shape) {
        return String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
    }

    /**
     * The {@code length} characters a character model writes after {@code prompt}, sampled at
     * {@code temperature} (0: the most likely character each time) with {@code seed}: the same
     * arguments give the same text ({@link TextGenerator}).
     *
     * @throws DescentException when this is not a character model, the prompt has characters
     *                          outside its vocabulary, {@code length < 1} or {@code temperature < 0}
     */
    public String generate(String prompt, int length, double temperature, long seed) {
        requireText("generate text");
        return new TextGenerator(network, vocabulary).generate(prompt, length, temperature, seed);
    }

    // ------------------------------------------------------------------ encoding

    /** Raw inputs as the network sees them: standardized as during training. */
    public Tensor normalize(Tensor raw) {
        return normalizer == null ? raw : normalizer.apply(raw);
    }

    /**
     * {@code data} as the network trains on it: inputs standardized, and class indices {@code [N]}
     * as a column {@code [N, 1]} for a head of one logit (binary cross-entropy wants that shape).
     */
    Dataset encode(Dataset data) {
        Tensor targets = data.targets();
        if (task == Task.CLASSIFICATION && targets.rank() == 1 && outputWidth() == 1) {
            targets = targets.reshape(targets.dim(0), 1);
        }
        return new Dataset(normalize(data.inputs()), targets);
    }

    /**
     * The loss a model of this task and output width trains with: softmax cross-entropy, binary
     * cross-entropy from one logit, or mean squared error.
     */
    public Loss loss() {
        requireBuilt();
        if (task == Task.REGRESSION) {
            return Loss.mse();
        }
        return outputWidth() == 1 ? Loss.binaryCrossEntropyWithLogits() : Loss.softmaxCrossEntropy();
    }

    /** The size of the network's last output axis. */
    int outputWidth() {
        requireBuilt();
        return outputWidth;
    }

    private void requireText(String what) {
        requireBuilt();
        if (vocabulary == null) {
            throw new DescentException("this model was not trained on text, so it cannot " + what + "; train a character"
                    + " model with `descent train FILE.txt`");
        }
    }

    private void requireBuilt() {
        if (network == null) {
            throw new DescentException("the model has no weights yet; fit it on data first (model.fit(data, settings))");
        }
    }

    // ------------------------------------------------------------------ saving and loading

    /**
     * Saves the weights and the model description into {@code dir} (created when absent; an
     * earlier Descent checkpoint there is replaced, a folder with other files refused).
     */
    public void save(Path dir) {
        requireBuilt();
        try (RunFolder folder = RunFolder.open(dir, RunFolder.Mode.OVERWRITE, "the folder")) {
            Checkpoint.of(network.namedTensors(), config(), null).save(folder.path());
        }
    }

    /** The model saved in {@code dir} by {@link #save} or {@code descent train}. */
    public static Model load(Path dir) {
        return fromCheckpoint(Checkpoint.load(dir));
    }

    /** Rebuilds the model a checkpoint describes and loads its weights. */
    public static Model fromCheckpoint(Checkpoint checkpoint) {
        Map<String, Object> config = checkpoint.config();
        if (!config.containsKey("model") && config.containsKey("algorithm")) {
            throw new DescentException("this checkpoint holds a " + config.get("algorithm") + " model, not a network;"
                    + " load it with the table commands (descent predict / eval)");
        }
        try {
            ModelSpec spec = ModelSpec.parse(text(config, "model"));
            Task task = Task.valueOf(text(config, "task").toUpperCase(java.util.Locale.ROOT));
            int[] inputShape = Json.toIntArray(require(config, "input_shape"));
            Preprocessor table = config.get("table") instanceof Map<?, ?> t ? Preprocessor.fromConfig(map(t)) : null;
            Normalizer normalizer = config.get("normalization") instanceof Map<?, ?> n ? Normalizer.fromConfig(n) : null;
            Model model = config.get("vocabulary") instanceof Map<?, ?> v
                    ? text(spec, Vocabulary.fromConfig(map(v)), inputShape[0], 0)
                    : build(spec, task, inputShape, classNames(config, table), normalizer, table, 0);
            checkpoint.applyTo(model.network);
            return model;
        } catch (ClassCastException | IllegalArgumentException | ArithmeticException e) {
            throw new DescentException("the checkpoint's config.json is not valid (" + e.getMessage()
                    + "); re-train with `descent train --out DIR`", e);
        }
    }

    private static List<String> classNames(Map<String, Object> config, Preprocessor table) {
        if (table != null && table.task() == Task.CLASSIFICATION) {
            return table.target().classes();
        }
        if (config.get("class_names") instanceof List<?> names) {
            return names.stream().map(n -> {
                if (!(n instanceof String name)) {
                    throw new IllegalArgumentException("\"class_names\" holds " + n + ", not a name");
                }
                return name;
            }).toList();
        }
        int classes = (int) Json.toDouble(config.getOrDefault("classes", 0L));
        if (classes < 0 || classes > 1_000_000) {
            throw new IllegalArgumentException("\"classes\" is " + classes);
        }
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static String text(Map<String, Object> config, String key) {
        if (!(require(config, key) instanceof String s)) {
            throw new IllegalArgumentException("\"" + key + "\" is not text");
        }
        return s;
    }

    private static Object require(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return value;
    }

    /** The model description for {@code config.json}. */
    public Map<String, Object> config() {
        requireBuilt();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", spec.toString());
        m.put("input_shape", Arrays.stream(inputShape).boxed().toList());
        m.put("task", task.name().toLowerCase(java.util.Locale.ROOT));
        m.put("classes", classNames.size());
        if (vocabulary != null) {
            m.put("vocabulary", vocabulary.toConfig());
        } else if (table == null && !classNames.isEmpty()) {
            m.put("class_names", new ArrayList<>(classNames));
        }
        if (normalizer != null) {
            m.put("normalization", normalizer.toConfig());
        }
        if (table != null) {
            m.put("table", table.toConfig());
        }
        return m;
    }

    // ------------------------------------------------------------------ parts

    public Sequential network() {
        return network;
    }

    public ModelSpec spec() {
        return spec;
    }

    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    public Task task() {
        return task;
    }

    /** The class names in output order ("0" … "9" for digits); empty for regression. */
    public List<String> classNames() {
        return classNames;
    }

    /** The input standardization, or null. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** The characters of a character model, or null. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The table encoding of a model trained on a table, or null. */
    public Preprocessor preprocessor() {
        return table;
    }
}
