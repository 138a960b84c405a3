package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.nn.Module;
import dev.descent.optim.OptState;
import dev.descent.optim.Params;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @TempDir
    Path root;

    record Adamish(long count, double lr, Params mu) implements OptState {
    }

    static final class Tiny extends Module {
        Tiny(int hidden) {
            registerParameter("weight", Tensor.zeros(hidden, 3));
            registerParameter("bias", Tensor.zeros(hidden));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.linear(parameter("weight"), parameter("bias"));
        }
    }

    static Map<String, Tensor> weights(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("weight", Tensor.randn(rng, 4, 3));
        w.put("bias", Tensor.randn(rng, 4));
        return w;
    }

    static Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", "dense(4)");
        c.put("input_shape", List.of(3));
        c.put("normalization", Map.of("mean", 0.1307, "std", 0.3081));
        c.put("training", Map.of("epoch", 3, "best_val_loss", 0.1 + 0.2));
        c.put("provenance", Checkpoint.provenance("0.1.0", "descent train --out x", 42));
        return c;
    }

    @Test
    void saveAndLoadRoundTripWeightsConfigAndOptimizerState() throws IOException {
        Map<String, Tensor> w = weights(1);
        Adamish state = new Adamish(12, 1e-3, Params.of(weights(2)).map(t -> t.mul(0.5)));
        Path dir = root.resolve("ckpt");
        Checkpoint.save(dir, w, config(), state);
        assertEquals(List.of("config.json", "model.safetensors", "optimizer.safetensors"), list(dir));

        Checkpoint loaded = Checkpoint.load(dir);
        SafeTensorsTest.assertSameTensors(w, loaded.weights());
        assertEquals("dense(4)", loaded.config().get("model"));
        assertEquals(List.of(3L), loaded.config().get("input_shape"));
        assertEquals(0.1 + 0.2, ((Map<?, ?>) loaded.config().get("training")).get("best_val_loss"));
        assertEquals(42L, ((Map<?, ?>) loaded.config().get("provenance")).get("seed"));
        assertTrue(loaded.hasOptimizerState());

        Adamish restored = loaded.optimizerState(new Adamish(0, 0, Params.of(weights(3)).zerosLike()));
        assertEquals(12, restored.count());
        assertEquals(1e-3, restored.lr());
        SafeTensorsTest.assertSameTensors(state.mu().asMap(), restored.mu().asMap());

        Tiny model = new Tiny(4);
        loaded.applyTo(model);
        SafeTensorsTest.assertSameTensors(w, model.namedParameters());
    }

    @Test
    void withoutOptimizerStateThereIsNoOptimizerFile() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint.save(dir, weights(1), config(), null);
        assertEquals(List.of("config.json", "model.safetensors"), list(dir));
        Checkpoint loaded = Checkpoint.load(dir);
        assertFalse(loaded.hasOptimizerState());
        assertThrows(DescentException.class,
                () -> loaded.optimizerState(new Adamish(0, 0, Params.of(weights(3)))));
    }

    @Test
    void overwriteIsAtomic() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint.save(dir, weights(1), config(), null);
        Map<String, Tensor> bad = new LinkedHashMap<>(weights(2));
        bad.put("", Tensor.ones(1)); // rejected by the safetensors writer, after model.safetensors started
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(dir, bad, config(), null));
        SafeTensorsTest.assertSameTensors(weights(1), Checkpoint.load(dir).weights());
        assertEquals(List.of("ckpt"), list(root));

        Checkpoint.save(dir, weights(2), config(), new Adamish(1, 0.5, Params.of(weights(2))));
        SafeTensorsTest.assertSameTensors(weights(2), Checkpoint.load(dir).weights());
        assertEquals(List.of("ckpt"), list(root));
    }

    @Test
    void missingCheckpointTellsHowToMakeOne() {
        Path dir = root.resolve("none");
        DescentException e = assertThrows(DescentException.class, () -> Checkpoint.load(dir));
        assertEquals("no checkpoint at " + dir + " (missing model.safetensors); train one with `descent train --out "
                + dir + "`", e.getMessage());
    }

    @Test
    void corruptConfigIsNamed() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint.save(dir, weights(1), config(), null);
        Files.writeString(dir.resolve("config.json"), "{\"model\": }");
        DescentException e = assertThrows(DescentException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().startsWith("cannot read " + dir.resolve("config.json") + ": invalid JSON at line 1:11"),
                e.getMessage());
    }

    @Test
    void applyToListsMissingUnexpectedAndMisshapenWeights() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("weight", Tensor.zeros(5, 3));
        w.put("extra", Tensor.zeros(1));
        Checkpoint c = Checkpoint.of(w, Map.of(), null);
        DescentException e = assertThrows(DescentException.class, () -> c.applyTo(new Tiny(4)));
        assertEquals("checkpoint weights do not match the model: weight has shape [5, 3] but the model needs [4, 3], "
                + "missing bias, unexpected extra; build the model from the specification saved in the checkpoint's "
                + "config.json", e.getMessage());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
