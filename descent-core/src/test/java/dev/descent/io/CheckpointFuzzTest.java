package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import dev.descent.nn.ModelSpec;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.TrainingSettings;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target of a checkpoint's loading, {@link Checkpoint#load} then {@link Model#fromCheckpoint}
 * (which reads {@code "normalization"} with {@link dev.descent.data.Normalizer#fromConfig}), and
 * a prediction: a saved model's {@code config.json} or its {@code model.safetensors} is mutated;
 * every input loads and predicts, or is refused in one line.
 *
 * <p>A model whose training would need more than {@value #BUDGET_MB} MB
 * ({@link ModelSpec#requireFitsIn}) is counted as "over budget" and not built: the target stays
 * fast, and the memory check itself is fuzzed by {@code ModelSpecFuzzTest}.
 */
class CheckpointFuzzTest {
    private static final long BUDGET_MB = 64;
    private static final Path DIR = Fuzz.scratch();
    private static final Seed CONFIG, WEIGHTS;

    static {
        Model model = Model.classifier("flatten dense(4) relu dense(3)");
        float[] pixels = new float[6 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 7 / 7f;
        }
        model.fit(new Dataset(Tensor.wrap(pixels, 6, 1, 2, 2), Tensor.of(new float[] {0, 1, 2, 0, 1, 2}, 6)),
                TrainingSettings.defaults().epochs(1).validation(0));
        model.save(DIR);
        try (var files = Files.list(DIR)) {
            files.forEach(file -> file.toFile().deleteOnExit());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CONFIG = Seed.file(DIR.resolve(Checkpoint.CONFIG_FILE));
        WEIGHTS = Seed.file(DIR.resolve(Checkpoint.MODEL_FILE));
    }

    @Provide
    Arbitrary<Input> configs() {
        return Fuzz.inputs(List.of(CONFIG), List.of("\"model\": ", "\"input_shape\": ", "\"normalization\": ",
                "\"mode\": ", "\"GLOBAL\"", "\"mean\": ", "\"std\": ", "\"task\": ", "\"regression\"", "\"classes\": ",
                "\"class_names\": ", "[1, 28, 28]", "[65536, 65536]", "[-1]", "[]", "dense(2000000)", "conv(8,3)",
                "dense(16777216) ", "gap", "batchnorm", "[[[[[[[["));
    }

    @Provide
    Arbitrary<Input> weights() {
        return Fuzz.inputs(List.of(WEIGHTS), List.of("\"F64\"", "\"shape\":", "[4, 4]", "\"fc9.weight\""));
    }

    @Property
    void configLoadsOrRefusesInOneLine(@ForAll("configs") Input input) {
        input.writeTo(DIR.resolve(Checkpoint.CONFIG_FILE));
        Fuzz.write(DIR.resolve(Checkpoint.MODEL_FILE), WEIGHTS.bytes());
        Fuzz.check(input, CheckpointFuzzTest::loadAndPredict);
    }

    @Property
    void weightsLoadOrRefuseInOneLine(@ForAll("weights") Input input) {
        Fuzz.write(DIR.resolve(Checkpoint.CONFIG_FILE), CONFIG.bytes());
        input.writeTo(DIR.resolve(Checkpoint.MODEL_FILE));
        Fuzz.check(input, CheckpointFuzzTest::loadAndPredict);
    }

    /** The fuzzer's first find: a class name that is not a string threw a NullPointerException. */
    @Example
    void aClassNameThatIsNotAStringIsRefusedInOneLine() {
        String config = new String(CONFIG.bytes(), StandardCharsets.UTF_8);
        Fuzz.write(DIR.resolve(Checkpoint.MODEL_FILE), WEIGHTS.bytes());
        for (String names : List.of("[null, \"b\", \"c\"]", "[1, 2, 3]")) {
            String mutated = config.replaceFirst("\"class_names\": \\[[^\\]]*\\]", "\"class_names\": " + names);
            org.junit.jupiter.api.Assertions.assertNotEquals(config, mutated, "the seed names its classes");
            Fuzz.write(DIR.resolve(Checkpoint.CONFIG_FILE), mutated.getBytes(StandardCharsets.UTF_8));
            DescentException e = org.junit.jupiter.api.Assertions.assertThrows(DescentException.class,
                    CheckpointFuzzTest::loadAndPredict, names);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("class_names") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }

    private static void loadAndPredict() {
        Checkpoint checkpoint = Checkpoint.load(DIR);
        Map<String, Object> config = checkpoint.config();
        if (config.get("model") instanceof String text && config.get("input_shape") instanceof List<?>) {
            try {
                ModelSpec.parse(text).requireFitsIn(Json.toIntArray(config.get("input_shape")), BUDGET_MB << 20);
            } catch (DescentException overBudgetOrInvalid) {
                Statistics.label("model").collect("over budget or invalid: not loaded");
                return;
            }
        }
        Model model = Model.fromCheckpoint(checkpoint);
        int[] shape = model.inputShape(), batch = new int[shape.length + 1];
        batch[0] = 1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        model.predict(Tensor.zeros(batch));
    }
}
