package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.optim.OptState;
import dev.descent.optim.Params;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateCodecTest {
    record Counter(int count, long steps, double scale, boolean warm, Params mu) implements OptState {
    }

    record Pair(List<OptState> inner) implements OptState {
    }

    static Params params(SplittableRandom rng, int hidden) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc1.weight", Tensor.randn(rng, hidden, 3));
        m.put("fc1.bias", Tensor.normal(rng, DType.FLOAT64, Shape.of(hidden), 0, 1));
        return Params.of(m);
    }

    static OptState state(SplittableRandom rng, int hidden) {
        return new Pair(List.of(
                new Counter(7, 1L << 40, 0.1 + 0.2, true, params(rng, hidden)),
                new OptState.Empty(),
                new Counter(-1, 0, Double.NaN, false, params(rng, hidden))));
    }

    @Test
    void namesFollowThePaths() {
        StateCodec.Flat flat = StateCodec.flatten(state(new SplittableRandom(1), 2));
        assertEquals(List.of("inner.0.mu/fc1.weight", "inner.0.mu/fc1.bias", "inner.2.mu/fc1.weight", "inner.2.mu/fc1.bias"),
                List.copyOf(flat.tensors().keySet()));
        assertEquals(List.of("inner.0.count", "inner.0.steps", "inner.0.scale", "inner.0.warm",
                "inner.2.count", "inner.2.steps", "inner.2.scale", "inner.2.warm"), List.copyOf(flat.scalars().keySet()));
        assertEquals(List.of("count", "steps", "scale", "warm"),
                List.copyOf(StateCodec.flatten(new Counter(1, 2, 3, true, params(new SplittableRandom(2), 1))).scalars().keySet()));
    }

    @Test
    void roundTripThroughJsonIsBitExact() {
        OptState saved = state(new SplittableRandom(1), 4);
        StateCodec.Flat flat = StateCodec.flatten(saved);
        @SuppressWarnings("unchecked")
        Map<String, Object> scalars = (Map<String, Object>) Json.parse(Json.write(flat.scalars()));
        OptState template = state(new SplittableRandom(99), 4);
        OptState restored = StateCodec.restore(template, flat.tensors(), scalars);

        Pair p = (Pair) restored;
        Counter c0 = (Counter) p.inner().get(0), c2 = (Counter) p.inner().get(2);
        assertEquals(7, c0.count());
        assertEquals(1L << 40, c0.steps());
        assertEquals(Double.doubleToRawLongBits(0.1 + 0.2), Double.doubleToRawLongBits(c0.scale()));
        assertTrue(c0.warm());
        assertTrue(Double.isNaN(c2.scale()));
        assertEquals(new OptState.Empty(), p.inner().get(1));
        SafeTensorsTest.assertSameTensors(flat.tensors(), StateCodec.flatten(restored).tensors());
        assertEquals(flat.scalars().keySet(), StateCodec.flatten(restored).scalars().keySet());
    }

    @Test
    void shapeMismatchIsReported() {
        StateCodec.Flat flat = StateCodec.flatten(state(new SplittableRandom(1), 4));
        DescentException e = assertThrows(DescentException.class,
                () -> StateCodec.restore(state(new SplittableRandom(1), 5), flat.tensors(), flat.scalars()));
        assertTrue(e.getMessage().startsWith("checkpoint optimizer state does not match the model: tensor "
                + "inner.0.mu/fc1.weight has shape [4, 3], the model needs [5, 3]"), e.getMessage());
    }

    @Test
    void missingAndExtraValuesAreReported() {
        StateCodec.Flat flat = StateCodec.flatten(state(new SplittableRandom(1), 4));
        Map<String, Tensor> fewer = new LinkedHashMap<>(flat.tensors());
        fewer.remove("inner.2.mu/fc1.bias");
        DescentException missing = assertThrows(DescentException.class,
                () -> StateCodec.restore(state(new SplittableRandom(1), 4), fewer, flat.scalars()));
        assertTrue(missing.getMessage().contains("missing tensor inner.2.mu/fc1.bias"), missing.getMessage());

        Map<String, Object> more = new LinkedHashMap<>(flat.scalars());
        more.put("inner.3.count", 1);
        DescentException extra = assertThrows(DescentException.class,
                () -> StateCodec.restore(state(new SplittableRandom(1), 4), flat.tensors(), more));
        assertTrue(extra.getMessage().contains("unexpected saved values [inner.3.count]"), extra.getMessage());
    }
}
