package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.DescentException;
import dev.descent.autograd.Autograd;
import dev.descent.data.Normalizer;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network together with everything needed to use it on raw inputs: its specification, the
 * input shape, the input normalization fitted on the training data, the task and the number
 * of classes. This is what a checkpoint's {@code config.json} describes, so {@code eval},
 * {@code predict} and resumed training rebuild exactly the model that was trained.
 */
public final class TrainedModel {
    private final ModelSpec spec;
    private final int[] inputShape;
    private final Normalizer normalizer;
    private final Task task;
    private final int classes;
    private final Sequential network;

    private TrainedModel(ModelSpec spec, int[] inputShape, Normalizer normalizer, Task task, int classes, long seed) {
        this.spec = spec;
        this.inputShape = inputShape.clone();
        this.normalizer = normalizer;
        this.task = task;
        this.classes = classes;
        this.network = spec.build(inputShape, new SplittableRandom(seed));
    }

    /** A freshly initialized model; {@code seed} draws the initial weights. */
    public static TrainedModel create(ModelSpec spec, int[] inputShape, Normalizer normalizer, Task task,
                                      int classes, long seed) {
        return new TrainedModel(spec, inputShape, normalizer, task, classes, seed);
    }

    /** Rebuilds the model a checkpoint describes and loads its weights. */
    public static TrainedModel fromCheckpoint(Checkpoint checkpoint) {
        Map<String, Object> config = checkpoint.config();
        try {
            ModelSpec spec = ModelSpec.parse((String) require(config, "model"));
            int[] inputShape = Json.toIntArray(require(config, "input_shape"));
            Task task = Task.valueOf(((String) require(config, "task")).toUpperCase());
            int classes = (int) Json.toDouble(config.getOrDefault("classes", 0L));
            TrainedModel model = new TrainedModel(spec, inputShape, normalizer(config.get("normalization")),
                    task, classes, 0);
            checkpoint.applyTo(model.network);
            return model;
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new DescentException("the checkpoint's config.json is not valid (" + e.getMessage()
                    + "); re-train with `descent train --out DIR`", e);
        }
    }

    private static Object require(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Normalizer normalizer(Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) json;
        return new Normalizer(Normalizer.Mode.valueOf((String) m.get("mode")), doubles(m.get("mean")), doubles(m.get("std")));
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(Json::toDouble).toArray();
    }

    /** The model description for {@code config.json}. */
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", spec.toString());
        m.put("input_shape", Arrays.stream(inputShape).boxed().toList());
        m.put("task", task.name().toLowerCase());
        m.put("classes", classes);
        if (normalizer != null) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("mode", normalizer.mode().name());
            n.put("mean", Arrays.stream(normalizer.mean()).boxed().toList());
            n.put("std", Arrays.stream(normalizer.std()).boxed().toList());
            m.put("normalization", n);
        }
        return m;
    }

    public Sequential network() {
        return network;
    }

    public ModelSpec spec() {
        return spec;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public Task task() {
        return task;
    }

    public int classes() {
        return classes;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    /** Raw inputs normalized as during training. */
    public Tensor normalize(Tensor raw) {
        return normalizer == null ? raw : normalizer.apply(raw);
    }

    /**
     * Class probabilities for raw inputs {@code [N, ...]}: the softmax of the outputs, or for a
     * binary head of one logit {@code z} the pair {@code [1 − σ(z), σ(z)]}; the predicted values
     * for regression. Evaluation mode, nothing recorded.
     */
    public Tensor predict(Tensor raw) {
        network.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor out = network.forward(normalize(raw));
            if (task == Task.REGRESSION) {
                return out;
            }
            if (out.dim(-1) == 1) {
                Tensor p = out.sigmoid();
                return Tensor.concat(1, p.neg().add(1), p);
            }
            return out.softmax(-1);
        }
    }
}
