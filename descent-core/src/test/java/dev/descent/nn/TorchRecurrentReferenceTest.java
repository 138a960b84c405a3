package dev.descent.nn;

import dev.descent.tensor.TorchReference;
import dev.descent.tensor.TorchReference.Case;
import dev.descent.io.Json;
import dev.descent.io.SafeTensors;
import dev.descent.loss.Loss;
import dev.descent.tensor.DType;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.descent.tensor.TorchReference.assertClose;
import static dev.descent.tensor.TorchReference.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recurrent layers, the embedding and a small character model against PyTorch 1.13
 * ({@code scripts/reference/torch_rnn.py}): torch's state_dict loaded into the Descent module by
 * name, then outputs and the gradients of {@code Σ y·g} (of the loss for the model) compared in
 * float64 and in float32, and the state dict moved through safetensors both ways.
 */
class TorchRecurrentReferenceTest {
    private static final double FLOAT64_TOLERANCE = 1e-10, FLOAT32_TOLERANCE = 1e-5;

    static Stream<Case> cases() {
        return TorchReference.cases(TorchRecurrentReferenceTest.class, "torch_rnn.json");
    }

    @ParameterizedTest(name = "{0} float64")
    @MethodSource("cases")
    void matchesTorchInDoublePrecision(Case c) {
        check(c, DType.FLOAT64, FLOAT64_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} float32")
    @MethodSource("cases")
    void matchesTorchInSinglePrecision(Case c) {
        check(c, DType.FLOAT32, FLOAT32_TOLERANCE);
    }

    @SuppressWarnings("unchecked")
    private static void check(Case c, DType dtype, double tolerance) {
        Map<String, Object> doc = c.doc(), settings = (Map<String, Object>) doc.get("settings");
        Map<String, Tensor> stateDict = tensors(doc.get("state_dict"));
        Module module = module((String) doc.get("module"), settings, stateDict.get(firstWeight(stateDict)));
        assertEquals(List.copyOf(stateDict.keySet()), List.copyOf(module.namedParameters().keySet()),
                c + ": the parameter names are torch's");
        module.to(dtype);
        stateDict.forEach((name, value) -> module.setParameter(name, value.to(dtype)));
        Tensor x = tensor(doc.get("x")).to(dtype).copy();
        boolean ids = !(module instanceof Recurrent);
        if (!ids) {
            x.requiresGrad(true);
        }
        Tensor y;
        if (module instanceof Recurrent r) {
            y = r.forward(x, initialState(r, tensors(doc.get("states")), dtype)).output();
        } else {
            y = module.forward(x);
        }
        if (doc.containsKey("logits")) {
            assertClose(tensor(doc.get("logits")), y, tolerance, c + " logits");
            y = Loss.softmaxCrossEntropy().apply(y, tensor(doc.get("targets")).to(dtype)).reshape(1);
            assertClose(tensor(doc.get("y")), y, tolerance, c + " loss");
            y.sum().backward();
        } else {
            assertClose(tensor(doc.get("y")), y, tolerance, c + " output");
            y.mul(tensor(doc.get("g")).to(dtype)).sum().backward();
        }
        Map<String, Tensor> params = module.namedParameters();
        tensors(doc.get("grads")).forEach((name, expected) -> assertClose(expected,
                name.equals("x") ? x.grad() : params.get(name).grad(), tolerance, c + " gradient of " + name));
    }

    private static String firstWeight(Map<String, Tensor> stateDict) {
        return stateDict.keySet().iterator().next();
    }

    /** The Descent module of a case, its sizes read from the settings and the first weight. */
    private static Module module(String kind, Map<String, Object> settings, Tensor firstWeight) {
        SplittableRandom rng = new SplittableRandom(1);
        return switch (kind) {
            case "embedding" -> new Embedding(integer(settings, "vocab"), integer(settings, "dim"), rng);
            case "model" -> characterModel(integer(settings, "vocab"), integer(settings, "dim"), integer(settings, "hidden"));
            default -> new Recurrent(RecurrentCell.valueOf(kind.toUpperCase(Locale.ROOT)), firstWeight.dim(1),
                    integer(settings, "hidden"), new Recurrent.Options(integer(settings, "layers"),
                    (Boolean) settings.get("bidirectional"), 0, (Boolean) settings.get("seq")), rng);
        };
    }

    /** The script's CharModel: embedding → LSTM at every step → linear, with torch's module names. */
    private static Sequential characterModel(int vocab, int dim, int hidden) {
        SplittableRandom rng = new SplittableRandom(2);
        return new Sequential().add("embedding", new Embedding(vocab, dim, rng))
                .add("lstm", Recurrent.lstm(dim, hidden, Recurrent.Options.DEFAULT.withSequences(true), rng))
                .add("fc", new Linear(hidden, vocab, rng));
    }

    /** torch's {@code h0 [layers·dirs, B, H]} (and {@code c0}) as a Descent state, or null for zero states. */
    private static Recurrent.State initialState(Recurrent r, Map<String, Tensor> states, DType dtype) {
        if (states.isEmpty()) {
            return null;
        }
        return new Recurrent.State(slices(states.get("h0"), dtype),
                states.containsKey("c0") ? slices(states.get("c0"), dtype) : List.of());
    }

    private static List<Tensor> slices(Tensor stacked, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < stacked.dim(0); k++) {
            out.add(stacked.slice(0, k, k + 1).reshape(stacked.dim(1), stacked.dim(2)).to(dtype));
        }
        return out;
    }

    @Test
    void torchStateDictLoadsByNameFromSafetensorsAndWritesBack(@TempDir Path dir) throws IOException, URISyntaxException {
        Map<String, Object> doc = cases().filter(c -> c.name().equals("character model")).findFirst().orElseThrow().doc();
        Map<String, Tensor> torch = SafeTensors.read(Path.of(getClass().getResource("torch_rnn_model.safetensors").toURI()));
        Sequential model = characterModel(7, 4, 5);
        model.to(DType.FLOAT64);
        torch.forEach(model::setParameter);
        assertClose(tensor(doc.get("logits")), model.forward(tensor(doc.get("x"))), FLOAT64_TOLERANCE, "logits after loading");

        Path written = dir.resolve("descent.safetensors");
        SafeTensors.write(written, model.namedTensors(), Map.of());
        Map<String, Tensor> back = SafeTensors.read(written);
        assertEquals(List.copyOf(torch.keySet()), List.copyOf(back.keySet()), "torch's load_state_dict finds its names");
        torch.forEach((name, t) -> {
            assertArrayEquals(t.dims(), back.get(name).dims(), name);
            assertArrayEquals(t.toDoubleArray(), back.get(name).toDoubleArray(), name);
        });
    }

    private static int integer(Map<String, Object> settings, String key) {
        return (int) Json.toDouble(settings.get(key));
    }

    private static Map<String, Tensor> tensors(Object json) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        ((Map<?, ?>) json).forEach((k, v) -> out.put((String) k, tensor(v)));
        return out;
    }
}
