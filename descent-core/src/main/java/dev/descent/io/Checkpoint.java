package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.nn.Module;
import dev.descent.optim.OptState;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * A training checkpoint: files of a folder, replaced together by {@link AtomicFiles#writeFiles}
 * (other files of the folder are left alone):
 * <ul>
 *   <li>{@value #MODEL_FILE}: the model weights by parameter name ({@code "fc1.weight"}),
 *       safetensors with metadata {@code {"format": "descent"}}: the model to use (with early
 *       stopping, the best epoch's);
 *   <li>{@value #LATEST_FILE}: the weights of the latest epoch, when they differ from the
 *       model's (early stopping kept an earlier epoch), for resuming; absent otherwise;
 *   <li>{@value #OPTIMIZER_FILE}: the optimizer state tensors as {@link StateCodec} names them,
 *       absent when no optimizer state was saved;
 *   <li>{@value #CONFIG_FILE}: pretty JSON with everything else. Descent's conventional keys:
 *       {@code "model"} (the model specification text), {@code "input_shape"}, {@code "classes"}
 *       or {@code "task"}, {@code "normalization"}, {@code "optimizer"} (name and
 *       hyperparameters), {@code "training"} (epoch, step, seed, best validation loss, ...),
 *       {@code "metrics"}, {@code "provenance"} (see {@link #provenance}), and
 *       {@value #OPTIMIZER_SCALARS}, filled here from the optimizer state's scalars.
 * </ul>
 * The API knows no model class: weights are a {@code Map<String, Tensor>} and the config a
 * JSON-ready {@code Map<String, Object>} (see {@link Json}).
 *
 * @param weights          the model weights by parameter name, in order
 * @param config           the contents of {@value #CONFIG_FILE}
 * @param optimizerTensors the optimizer state tensors by {@link StateCodec} path; empty when none
 * @param latestWeights    the latest epoch's weights when they differ from {@code weights}; else empty
 */
public record Checkpoint(Map<String, Tensor> weights, Map<String, Object> config, Map<String, Tensor> optimizerTensors,
                         Map<String, Tensor> latestWeights) {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String LATEST_FILE = "latest.safetensors";
    /** The config key and value that mark a checkpoint written by Descent. */
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT_VALUE = "descent-checkpoint";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String CONFIG_FILE = "config.json";
    /** The config key holding the optimizer state's scalars (step counts, ...). */
    public static final String OPTIMIZER_SCALARS = "optimizer_scalars";
    private static final Map<String, String> FORMAT = Map.of("format", "descent");

    public Checkpoint {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        optimizerTensors = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerTensors));
        latestWeights = Collections.unmodifiableMap(new LinkedHashMap<>(latestWeights));
    }

    /**
     * A checkpoint of {@code weights}, {@code config} and, unless null, the optimizer state
     * {@code state}, whose scalars go to the config key {@value #OPTIMIZER_SCALARS}.
     */
    public static Checkpoint of(Map<String, Tensor> weights, Map<String, Object> config, OptState state) {
        if (state == null) {
            return new Checkpoint(weights, config, Map.of(), Map.of());
        }
        StateCodec.Flat flat = StateCodec.flatten(state);
        Map<String, Object> withScalars = new LinkedHashMap<>(config);
        withScalars.put(OPTIMIZER_SCALARS, flat.scalars());
        return new Checkpoint(weights, withScalars, flat.tensors(), Map.of());
    }

    /** This checkpoint with the latest epoch's weights {@code latest} kept beside the model's (for resuming). */
    public Checkpoint withLatestWeights(Map<String, Tensor> latest) {
        return new Checkpoint(weights, config, optimizerTensors, latest);
    }

    /** Shorthand for {@code of(weights, config, state).save(dir)}. */
    public static void save(Path dir, Map<String, Tensor> weights, Map<String, Object> config, OptState state) {
        of(weights, config, state).save(dir);
    }

    /** Writes this checkpoint into {@code dir}, replacing the checkpoint files there together. */
    public void save(Path dir) {
        save(dir, Map.of());
    }

    /**
     * Writes this checkpoint into {@code dir} together with extra text files (file name →
     * contents, e.g. the training history), replacing them all at once ({@link AtomicFiles#writeFiles}).
     */
    public void save(Path dir, Map<String, String> extraFiles) {
        Map<String, Object> marked = new LinkedHashMap<>();
        marked.put(FORMAT_KEY, FORMAT_VALUE);
        marked.putAll(config);
        String configText = Json.pretty(marked) + "\n";
        Map<String, AtomicFiles.StreamWriter> files = new LinkedHashMap<>();
        extraFiles.forEach((name, text) -> files.put(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8))));
        files.put(MODEL_FILE, out -> SafeTensors.write(out, weights, FORMAT));
        Set<String> deleted = new LinkedHashSet<>();
        if (!optimizerTensors.isEmpty() || hasOptimizerState()) {
            files.put(OPTIMIZER_FILE, out -> SafeTensors.write(out, optimizerTensors, FORMAT));
        } else {
            deleted.add(OPTIMIZER_FILE);
        }
        if (!latestWeights.isEmpty()) {
            files.put(LATEST_FILE, out -> SafeTensors.write(out, latestWeights, FORMAT));
        } else {
            deleted.add(LATEST_FILE);
        }
        files.put(CONFIG_FILE, out -> out.write(configText.getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.writeFiles(dir, files, deleted);
    }

    /** Reads the checkpoint in {@code dir} (following an interrupted save to the files it was writing). */
    public static Checkpoint load(Path dir) {
        Path model = AtomicFiles.current(dir, MODEL_FILE), config = AtomicFiles.current(dir, CONFIG_FILE);
        for (Path required : List.of(model, config)) {
            if (!Files.isRegularFile(required)) {
                throw new DescentException("no checkpoint at " + dir + " (missing " + required.getFileName()
                        + "); train one with `descent train --out " + dir + "`");
            }
        }
        Map<String, Object> configMap = readConfig(config);
        return new Checkpoint(SafeTensors.read(model), configMap, readIfPresent(AtomicFiles.current(dir, OPTIMIZER_FILE)),
                readIfPresent(AtomicFiles.current(dir, LATEST_FILE)));
    }

    private static Map<String, Tensor> readIfPresent(Path file) {
        return Files.isRegularFile(file) ? SafeTensors.read(file) : Map.of();
    }

    /** Whether {@code dir} holds a checkpoint Descent wrote (its config.json carries the mark, or older provenance). */
    public static boolean isCheckpoint(Path dir) {
        Path config = AtomicFiles.current(dir, CONFIG_FILE);
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            Map<String, Object> m = readConfig(config);
            return FORMAT_VALUE.equals(m.get(FORMAT_KEY))
                    || m.get("provenance") instanceof Map<?, ?> p && p.containsKey("descent_version");
        } catch (DescentException e) {
            return false;
        }
    }

    private static Map<String, Object> readConfig(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e + "); check that the file is readable", e);
        }
        try {
            if (Json.parse(text) instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> config = (Map<String, Object>) map;
                return config;
            }
        } catch (Json.SyntaxError e) {
            throw new DescentException("cannot read " + file + ": invalid JSON at " + e.where()
                    + "; fix the file or re-save the checkpoint");
        }
        throw new DescentException("cannot read " + file + ": not a JSON object; fix the file or re-save the checkpoint");
    }

    /** Whether this checkpoint holds an optimizer state to resume from. */
    public boolean hasOptimizerState() {
        return config.containsKey(OPTIMIZER_SCALARS);
    }

    /**
     * The saved optimizer state, rebuilt on the record types of {@code template} (the
     * optimizer's {@code init(params)} for the same model).
     */
    public <S extends OptState> S optimizerState(S template) {
        if (!hasOptimizerState()) {
            throw new DescentException("the checkpoint holds no optimizer state; resume from a checkpoint saved during"
                    + " training, or train without resuming");
        }
        if (!(config.get(OPTIMIZER_SCALARS) instanceof Map<?, ?> scalars)) {
            throw new DescentException("the checkpoint's " + OPTIMIZER_SCALARS + " is not a JSON object;"
                    + " fix config.json or re-save the checkpoint");
        }
        Map<String, Object> named = new LinkedHashMap<>();
        scalars.forEach((k, v) -> named.put((String) k, v));
        return StateCodec.restore(template, optimizerTensors, named);
    }

    /**
     * Sets every parameter and buffer of {@code module} ({@link Module#namedTensors()}) to the
     * saved tensor of the same name, converted to its dtype, in place (optimizers holding the tensors keep them).
     * The names and shapes must match exactly; otherwise nothing is set.
     */
    public void applyTo(Module module) {
        apply(weights, module);
    }

    /** Like {@link #applyTo}, with the latest epoch's weights (the model's when none were kept apart): to resume training. */
    public void applyLatestTo(Module module) {
        apply(latestWeights.isEmpty() ? weights : latestWeights, module);
    }

    private static void apply(Map<String, Tensor> weights, Module module) {
        Map<String, Tensor> params = module.namedTensors();
        List<String> problems = new ArrayList<>();
        params.forEach((name, p) -> {
            Tensor w = weights.get(name);
            if (w == null) {
                problems.add("missing " + name);
            } else if (!w.shape().equals(p.shape())) {
                problems.add(name + " has shape " + w.shape() + " but the model needs " + p.shape());
            }
        });
        weights.keySet().stream().filter(name -> !params.containsKey(name))
                .forEach(name -> problems.add("unexpected " + name));
        if (!problems.isEmpty()) {
            throw new DescentException("checkpoint weights do not match the model: " + String.join(", ", problems)
                    + "; build the model from the specification saved in the checkpoint's config.json");
        }
        params.forEach((name, p) -> p.copyFromInPlace(weights.get(name).to(p.dtype())));
    }

    /**
     * The {@code "provenance"} config entry: Descent version, Java version, the current date
     * and time (ISO-8601 with offset), the command line and the seed.
     */
    public static Map<String, Object> provenance(String descentVersion, String commandLine, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("descent_version", descentVersion);
        p.put("java_version", Runtime.version().toString());
        p.put("date", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        p.put("command_line", commandLine);
        p.put("seed", seed);
        return p;
    }
}
