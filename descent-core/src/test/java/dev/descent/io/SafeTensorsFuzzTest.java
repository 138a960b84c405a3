package dev.descent.io;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fuzz target of {@link SafeTensors#readContents}: header lengths, JSON headers (non-UTF-8,
 * deeply nested, huge shapes and offsets, overlapping ranges) and data are mutated, as bytes and
 * (with the header length kept true) as JSON; every input is read or refused in one line, before
 * anything of the size a header claims is allocated.
 */
class SafeTensorsFuzzTest {
    private static final Path FILE = Fuzz.scratch("model.safetensors").resolve("model.safetensors");
    private static final List<Seed> SEEDS = List.of(
            seed("weights", Map.of("format", "descent"), "fc1.weight", Tensor.randn(new SplittableRandom(1), 3, 2),
                    "fc1.bias", Tensor.of(new float[] {Float.NaN, -0f, 1}, 3)),
            seed("mixed", Map.of(), "scale", Tensor.scalar(Math.PI, DType.FLOAT64), "empty", Tensor.zeros(0, 4),
                    "v", Tensor.of(new double[] {1, 2}, 2)));
    private static final List<String> TOKENS = List.of("\"dtype\":", "\"F32\"", "\"F64\"", "\"I64\"", "\"shape\":",
            "\"data_offsets\":", "\"__metadata__\":", "[0, 4]", "[4, 0]", "[0, 18446744073709551615]", "[2147483647, 2]",
            "[65536, 65536]", "{\"x\": ", "[[[[[[[[");

    /** The safetensors bytes of {@code metadata} and the tensors {@code namesAndTensors} (name, tensor, name, ...). */
    private static Seed seed(String name, Map<String, String> metadata, Object... namesAndTensors) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            tensors.put((String) namesAndTensors[i], (Tensor) namesAndTensors[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SafeTensors.write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Seed(name, out.toByteArray());
    }

    @Provide
    Arbitrary<Input> safetensors() {
        return Fuzz.inputs(SEEDS, TOKENS);
    }

    @Property
    void readsOrRefusesInOneLine(@ForAll("safetensors") Input input) {
        input.writeTo(FILE);
        Fuzz.check(input, () -> SafeTensors.readContents(FILE));
    }

    /** The JSON headers of the seeds, to mutate as JSON and put back with their true length. */
    @Provide
    Arbitrary<Input> headers() {
        return Fuzz.inputs(SEEDS.stream().map(seed -> new Seed(seed.name(), header(seed.bytes()))).toList(), TOKENS);
    }

    @Property
    void readsOrRefusesMutatedHeadersInOneLine(@ForAll("headers") Input header, @ForAll boolean firstSeedsData) {
        byte[] seed = SEEDS.get(firstSeedsData ? 0 : 1).bytes();
        int data = 8 + header(seed).length;
        ByteBuffer file = ByteBuffer.allocate(8 + header.bytes().length + seed.length - data).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.bytes().length).put(header.bytes()).put(seed, data, seed.length - data);
        Fuzz.write(FILE, file.array());
        Fuzz.check(header, () -> SafeTensors.readContents(FILE));
    }

    private static byte[] header(byte[] file) {
        return Arrays.copyOfRange(file, 8, 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
}
