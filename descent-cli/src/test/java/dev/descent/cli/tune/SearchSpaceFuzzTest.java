package dev.descent.cli.tune;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fuzz target of the tuning search space ({@link SearchSpace#read}): a space file is read, or
 * refused in one line; a space that reads draws configurations ({@link SearchSpace#sample}) of
 * finite numbers and turns them into {@code descent train} arguments without failing.
 */
class SearchSpaceFuzzTest {
    private static final Path FILE = Fuzz.scratch("space.json").resolve("space.json");
    private static final List<Seed> SEEDS = List.of(
            Seed.text("mnist-space.json", """
                    {
                      "layers":     {"choice": ["512,256", "800", "512,512", "1024,512"]},
                      "lr":         {"log_uniform": [3e-4, 3e-3]},
                      "batch-size": {"choice": [64, 128, 256]},
                      "dropout":    {"uniform": [0.1, 0.5]},
                      "l2":         {"choice": [0, 1e-6, 1e-5]},
                      "optimizer":  {"choice": ["adam", "adamw"]},
                      "opt":        {"choice": ["weight_decay=1e-4", "weight_decay=1e-2"], "when": {"optimizer": ["adamw"]}}
                    }
                    """),
            Seed.text("kinds.json", """
                    {"lr": {"log_uniform": [1e-4, 1e-2]}, "epochs": {"int": [2, 4]}, "layers": {"choice": ["64", "128,64"]},
                     "dropout": {"uniform": [0, 0.5], "when": {"layers": "128,64"}}, "optimizer": "adam", "stratify": true}
                    """));

    @Provide
    Arbitrary<Input> spaces() {
        return Fuzz.inputs(SEEDS, List.of("{\"choice\": [", "{\"uniform\": [", "{\"log_uniform\": [", "{\"int\": [",
                "\"when\": {", "[-9007199254740993, 9007199254740993]", "[-1e308, 1e308]", "[1e-320, 1e308]",
                "9223372036854775807", "-9223372036854775808", "[-9223372036854775808, 9223372036854775807]", "-1e308",
                "1e308", "\"out\"", "\"Lr\"", "[[[[[[[["));
    }

    @Property
    void readsOrRefusesInOneLine(@ForAll("spaces") Input input) {
        input.writeTo(FILE);
        Fuzz.check(input, () -> {
            SearchSpace space = SearchSpace.read(FILE);
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < 5; i++) {
                Map<String, Object> config = space.sample(rng);
                config.forEach((name, value) -> {
                    if (value instanceof Double d && !Double.isFinite(d)) {
                        throw new AssertionError("drew " + name + " = " + d);
                    }
                });
                SearchSpace.arguments(config);
            }
        });
    }
}
