package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.OptimizerRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to train: every {@link Setting} that was given (the rest take their defaults), plus the
 * objects a Java program may pass instead of names (an optimizer, a loss) and the callbacks.
 * Immutable: each {@code with}-style method returns a copy, so settings read like Keras's
 * {@code fit} arguments:
 * <pre>
 *   TrainingSettings.defaults().epochs(20).batchSize(64).optimizer("adamw").learningRate(3e-4)
 * </pre>
 * Defaults depend on the data ({@link DataKind}: tables train longer on smaller batches) and on
 * the model preset; {@link #toConfig()} stores every effective value, {@link #fromConfig} reads
 * them back, and {@link #resumedWith} merges what a resumed run is given with what was stored.
 */
public final class TrainingSettings {
    private final EnumMap<Setting, Object> given;
    private final GradientTransformation optimizerObject;
    private final Loss loss;
    private final List<Callback> callbacks;
    private final BatchGradients batchGradients;
    private final int localSteps;

    private TrainingSettings(EnumMap<Setting, Object> given, GradientTransformation optimizerObject, Loss loss,
                             List<Callback> callbacks, BatchGradients batchGradients, int localSteps) {
        this.given = given;
        this.optimizerObject = optimizerObject;
        this.loss = loss;
        this.callbacks = List.copyOf(callbacks);
        this.batchGradients = batchGradients;
        this.localSteps = localSteps;
    }

    /** Every setting at its default. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(new EnumMap<>(Setting.class), null, null, List.of(), null, 1);
    }

    /** A copy with {@code setting} given as {@code value} (checked; null removes it). */
    public TrainingSettings with(Setting setting, Object value) {
        EnumMap<Setting, Object> copy = new EnumMap<>(given);
        if (value == null) {
            copy.remove(setting);
        } else {
            copy.put(setting, setting.accept(value));
        }
        return new TrainingSettings(copy, optimizerObject, loss, callbacks, batchGradients, localSteps);
    }

    /** The settings given explicitly (not defaults). */
    public Set<Setting> given() {
        return Collections.unmodifiableSet(given.keySet());
    }

    /** The effective value: the given one, else the preset's or the data kind's default (may be null). */
    public Object get(Setting setting) {
        if (given.containsKey(setting)) {
            return given.get(setting);
        }
        Map<Setting, Object> preset = PresetDefaults.of(model());
        return preset.containsKey(setting) ? preset.get(setting) : setting.defaultFor(kind());
    }

    /** The kind of data the {@link Setting#DATASET} names. */
    public DataKind kind() {
        return DataKind.of((String) given.getOrDefault(Setting.DATASET, Setting.DATASET.defaultFor(DataKind.IMAGES)));
    }

    // ------------------------------------------------------------------ the Java API's named settings

    public TrainingSettings epochs(int epochs) {
        return with(Setting.EPOCHS, epochs);
    }

    public TrainingSettings batchSize(int batchSize) {
        return with(Setting.BATCH_SIZE, batchSize);
    }

    /** An optimizer of the catalogue by name ({@code descent optimizers} lists them). */
    public TrainingSettings optimizer(String name) {
        return with(Setting.OPTIMIZER, name);
    }

    /** An optimizer object, used as it is ({@link #learningRate} and {@link #schedule} do not apply to it). */
    public TrainingSettings optimizer(GradientTransformation optimizer) {
        return new TrainingSettings(given, optimizer, loss, callbacks, batchGradients, localSteps);
    }

    /** Hyperparameters of the named optimizer, {@code "b1=0.95,weight_decay=1e-4"}. */
    public TrainingSettings hyperparameters(String pairs) {
        return with(Setting.OPT, pairs);
    }

    public TrainingSettings learningRate(double lr) {
        return with(Setting.LR, lr);
    }

    /** The learning rate's shape over the run: {@code constant} or {@code cosine} (decay to 0). */
    public TrainingSettings schedule(String name) {
        return with(Setting.SCHEDULE, name);
    }

    /** The loss to minimize (default: softmax cross-entropy for classes, mean squared error for values). */
    public TrainingSettings loss(Loss loss) {
        return new TrainingSettings(given, optimizerObject, loss, callbacks, batchGradients, localSteps);
    }

    /** Share of the training data held out to validate after each epoch (its last part); 0: none. */
    public TrainingSettings validation(double share) {
        return with(Setting.VALIDATION, share);
    }

    /** Early stopping: epochs without improvement before stopping (0: off); the best weights are kept. */
    public TrainingSettings patience(int epochs) {
        return with(Setting.PATIENCE, epochs);
    }

    public TrainingSettings l2(double lambda) {
        return with(Setting.L2, lambda);
    }

    public TrainingSettings l1(double lambda) {
        return with(Setting.L1, lambda);
    }

    /** Gradient clipping by global norm (0: off). */
    public TrainingSettings clipNorm(double maxNorm) {
        return with(Setting.CLIP_NORM, maxNorm);
    }

    public TrainingSettings seed(long seed) {
        return with(Setting.SEED, seed);
    }

    /** Callbacks run by the training loop, after the built-in ones. */
    public TrainingSettings callbacks(Callback... more) {
        List<Callback> all = new ArrayList<>(callbacks);
        all.addAll(List.of(more));
        return new TrainingSettings(given, optimizerObject, loss, all, batchGradients, localSteps);
    }

    /**
     * Computes the batch gradients on a cluster ({@link BatchGradients}, e.g. Apache Spark) instead
     * of on this machine; null: here. Everything else about the run stays as it is.
     */
    public TrainingSettings batchGradients(BatchGradients gradients) {
        return new TrainingSettings(given, optimizerObject, loss, callbacks, gradients, localSteps);
    }

    /**
     * Local SGD on the cluster of {@link #batchGradients}: {@code k} local steps of every share
     * between two averagings of the weights and the optimizer's state ({@link LocalSteps});
     * 1 (the default): synchronous steps, one machine's. Not stored in {@code config.json}: like the
     * cluster, it may change when a run is resumed.
     *
     * @throws DescentException when {@code k < 1}
     */
    public TrainingSettings localSteps(int k) {
        if (k < 1) {
            throw new DescentException("--local-steps must be 1 or more (1: synchronous steps), got " + k);
        }
        return new TrainingSettings(given, optimizerObject, loss, callbacks, batchGradients, k);
    }

    // ------------------------------------------------------------------ reading

    public int epochs() {
        return integer(Setting.EPOCHS);
    }

    public int batchSize() {
        return integer(Setting.BATCH_SIZE);
    }

    public long seed() {
        return (long) get(Setting.SEED);
    }

    /** The optimizer object given, or null (then {@link Setting#OPTIMIZER} names it). */
    public GradientTransformation optimizerObject() {
        return optimizerObject;
    }

    /** The loss given, or null for the task's default. */
    public Loss loss() {
        return loss;
    }

    public List<Callback> callbacks() {
        return callbacks;
    }

    /** The cluster computing the batch gradients, or null for this machine. */
    public BatchGradients batchGradients() {
        return batchGradients;
    }

    /** The local steps per round on the cluster ({@link #localSteps(int)}); 1: synchronous steps. */
    public int localSteps() {
        return localSteps;
    }

    /** The model specification given ({@code --model}), or null. */
    public String model() {
        return (String) given.get(Setting.MODEL);
    }

    public String text(Setting s) {
        return (String) get(s);
    }

    public int integer(Setting s) {
        return (Integer) get(s);
    }

    public double number(Setting s) {
        Object v = get(s);
        return v instanceof Long l ? l : (Double) v;
    }

    public boolean flag(Setting s) {
        return (Boolean) get(s);
    }

    /** The optimizer's hyperparameters: {@link Setting#OPT}'s pairs, with {@link Setting#LR} as {@code lr}. */
    public Map<String, Double> hyperparameterValues() {
        Map<String, Double> values = OptimizerRegistry.parse(text(Setting.OPT));
        if (get(Setting.LR) != null) {
            values.put("lr", number(Setting.LR));
        }
        return values;
    }

    // ------------------------------------------------------------------ storing and resuming

    /** Every effective setting that applies to the data, by key, JSON-ready (unset optional ones left out). */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            Object v = get(s);
            if (v != null && s.appliesTo().contains(kind())) {
                m.put(s.key(), s.toJson(v));
            }
        }
        return m;
    }

    /** The settings a run stored with {@link #toConfig()}; every stored key counts as given. */
    public static TrainingSettings fromConfig(Map<String, Object> config) {
        TrainingSettings s = defaults();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            Setting setting = Setting.byName(e.getKey());
            if (setting == null) {
                throw new DescentException("config.json has an unknown setting \"" + e.getKey()
                        + "\"; it was written by another version of Descent, or edited: fix or remove it");
            }
            s = s.with(setting, e.getValue());
        }
        return s;
    }

    /**
     * The stored settings of a run with the ones given to resume it: a given setting must equal
     * the stored one unless it may change ({@link Setting#changeableOnResume()}, e.g. more epochs).
     *
     * @throws DescentException naming the first contradiction and the way out
     */
    public TrainingSettings resumedWith(TrainingSettings resuming, String folder) {
        TrainingSettings merged = this;
        for (Setting s : resuming.given()) {
            Object mine = get(s), theirs = resuming.get(s);
            if (!s.same(mine, theirs) && !s.changeableOnResume()) {
                throw new DescentException(s.flag() + " " + Json.write(s.toJson(theirs)) + " contradicts the run in "
                        + folder + ", which has " + s.flag() + " " + Json.write(s.toJson(mine))
                        + "; leave it out to continue that run, or train a new one with another --out");
            }
            merged = merged.with(s, theirs);
        }
        return new TrainingSettings(merged.given, resuming.optimizerObject, resuming.loss, resuming.callbacks,
                resuming.batchGradients, resuming.localSteps);
    }

    /**
     * Refuses settings among {@code explicit} (those the user gave) that do not apply to the
     * data: images-only ones for a table, table-only ones for images, network settings for tree
     * algorithms, or two descriptions of one model.
     */
    public void checkApplicable(Set<Setting> explicit) {
        DataKind kind = kind();
        List<String> wrong = Setting.notApplying(explicit, kind);
        if (!wrong.isEmpty()) {
            throw new DescentException(String.join(", ", wrong) + (wrong.size() == 1 ? " does" : " do")
                    + " not apply to " + kind.describe() + " (" + text(Setting.DATASET) + "); leave "
                    + (wrong.size() == 1 ? "it" : "them") + " out");
        }
        if (get(Setting.MODEL) != null) {
            List<String> both = new ArrayList<>();
            for (Setting s : List.of(Setting.LAYERS, Setting.ACTIVATION, Setting.DROPOUT)) {
                if (explicit.contains(s)) {
                    both.add(s.flag());
                }
            }
            if (!both.isEmpty()) {
                throw new DescentException("--model gives the whole model, so " + String.join(", ", both)
                        + " would be ignored; put the layers into --model, or leave --model out");
            }
        }
        if (kind == DataKind.TABLE && !text(Setting.ALGORITHM).equals("mlp")) {
            List<String> network = new ArrayList<>();
            for (Setting s : explicit) {
                if (!Learners.TREE_SETTINGS.contains(s)) {
                    network.add(s.flag());
                }
            }
            if (!network.isEmpty()) {
                throw new DescentException(String.join(", ", network) + " only apply to the network (--algorithm mlp),"
                        + " not to --algorithm " + text(Setting.ALGORITHM) + "; leave them out");
            }
        }
    }

    @Override
    public String toString() {
        return Json.write(toConfig());
    }
}
