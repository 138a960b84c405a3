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
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: a directory, written atomically by {@link AtomicFiles#writeDirectory},
 * holding
 * <ul>
 *   <li>{@value #MODEL_FILE}: the model weights by parameter name ({@code "fc1.weight"}),
 *       safetensors with metadata {@code {"format": "descent"}};
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
 */
public record Checkpoint(Map<String, Tensor> weights, Map<String, Object> config, Map<String, Tensor> optimizerTensors) {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String CONFIG_FILE = "config.json";
    /** The config key holding the optimizer state's scalars (step counts, ...). */
    public static final String OPTIMIZER_SCALARS = "optimizer_scalars";
    private static final Map<String, String> FORMAT = Map.of("format", "descent");

    public Checkpoint {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        optimizerTensors = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerTensors));
    }

    /**
     * A checkpoint of {@code weights}, {@code config} and, unless null, the optimizer state
     * {@code state}, whose scalars go to the config key {@value #OPTIMIZER_SCALARS}.
     */
    public static Checkpoint of(Map<String, Tensor> weights, Map<String, Object> config, OptState state) {
        if (state == null) {
            return new Checkpoint(weights, config, Map.of());
        }
        StateCodec.Flat flat = StateCodec.flatten(state);
        Map<String, Object> withScalars = new LinkedHashMap<>(config);
        withScalars.put(OPTIMIZER_SCALARS, flat.scalars());
        return new Checkpoint(weights, withScalars, flat.tensors());
    }

    /** Shorthand for {@code of(weights, config, state).save(dir)}. */
    public static void save(Path dir, Map<String, Tensor> weights, Map<String, Object> config, OptState state) {
        of(weights, config, state).save(dir);
    }

    /** Writes this checkpoint to {@code dir}, atomically replacing any checkpoint there. */
    public void save(Path dir) {
        save(dir, Map.of());
    }

    /**
     * Writes this checkpoint to {@code dir} together with extra text files (file name →
     * contents, e.g. the training history), all in one atomic replacement of the folder.
     */
    public void save(Path dir, Map<String, String> extraFiles) {
        String configText = Json.pretty(config) + "\n";
        AtomicFiles.writeDirectory(dir, tmp -> {
            for (Map.Entry<String, String> file : extraFiles.entrySet()) {
                Files.writeString(tmp.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
            SafeTensors.write(tmp.resolve(MODEL_FILE), weights, FORMAT);
            if (!optimizerTensors.isEmpty() || hasOptimizerState()) {
                SafeTensors.write(tmp.resolve(OPTIMIZER_FILE), optimizerTensors, FORMAT);
            }
            Files.writeString(tmp.resolve(CONFIG_FILE), configText, StandardCharsets.UTF_8);
        });
    }

    /** Reads the checkpoint in {@code dir}. */
    public static Checkpoint load(Path dir) {
        Path model = dir.resolve(MODEL_FILE), config = dir.resolve(CONFIG_FILE);
        for (Path required : List.of(model, config)) {
            if (!Files.isRegularFile(required)) {
                throw new DescentException("no checkpoint at " + dir + " (missing " + required.getFileName()
                        + "); train one with `descent train --out " + dir + "`");
            }
        }
        Map<String, Object> configMap = readConfig(config);
        Path optimizer = dir.resolve(OPTIMIZER_FILE);
        Map<String, Tensor> optimizerTensors = Files.isRegularFile(optimizer) ? SafeTensors.read(optimizer) : Map.of();
        return new Checkpoint(SafeTensors.read(model), configMap, optimizerTensors);
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
     * saved tensor of the same name, converted to its dtype. The names and shapes must match exactly; otherwise nothing is set.
     */
    public void applyTo(Module module) {
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
        params.forEach((name, p) -> module.setTensor(name, weights.get(name).to(p.dtype()).copy()));
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
