package dev.descent.tensor;

import dev.descent.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reference cases written by the scripts in {@code scripts/reference/} (PyTorch 1.13): a JSON
 * resource {@code {"cases": [{"name": ..., ...}]}} whose tensors are {@code {"shape": [...],
 * "data": [...]}}, and the comparison the reference tests make with them.
 */
public final class TorchReference {
    private TorchReference() {
    }

    /** One named case: its whole JSON object. */
    public record Case(String name, Map<String, Object> doc) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The cases of the resource {@code name} next to {@code owner}'s class file. */
    @SuppressWarnings("unchecked")
    public static Stream<Case> cases(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name + " next to " + owner.getName());
            }
            Map<String, Object> doc = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return ((List<Object>) doc.get("cases")).stream()
                    .map(c -> new Case((String) ((Map<String, Object>) c).get("name"), (Map<String, Object>) c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A float64 tensor from its JSON form. */
    @SuppressWarnings("unchecked")
    public static Tensor tensor(Object json) {
        Map<String, Object> t = (Map<String, Object>) json;
        double[] data = ((List<?>) t.get("data")).stream().mapToDouble(Json::toDouble).toArray();
        return Tensor.of(data, Json.toIntArray(t.get("shape")));
    }

    /** Each element within {@code tolerance·(1 + |expected|)}; the first three misses are reported. */
    public static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertArrayEquals(expected.dims(), actual.dims(), what + " shape");
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.storage().get(i), a = actual.storage().get(i);
            if (!(Math.abs(e - a) <= tolerance * (1 + Math.abs(e)))) {
                bad.add("element " + i + ": torch " + e + ", descent " + a);
            }
        }
        assertEquals(List.of(), bad.subList(0, Math.min(3, bad.size())), what);
    }
}
