package dev.descent.io;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target of {@link Json#parse}: any text parses, or is refused with a one-line
 * {@link Json.SyntaxError}; what parses writes back to text that parses to the same value.
 */
class JsonFuzzTest {
    static final List<Seed> SEEDS = List.of(
            Seed.text("config", """
                    {
                      "model": "flatten dense(4) relu dense(3)",
                      "input_shape": [1, 2, 2],
                      "task": "classification",
                      "classes": 3,
                      "normalization": {"mode": "GLOBAL", "mean": [0.13], "std": [0.31]},
                      "optimizer": {"name": "adam", "lr": 1.0E-3, "nesterov": false},
                      "training": {"epoch": 2, "step": 40, "seed": -42, "best_val_loss": "NaN"},
                      "provenance": {"command_line": "descent train --out \\"runs/a b\\"\\n", "date": null}
                    }
                    """),
            Seed.text("values", "[0, -0, 0.5, -1.25e-7, 12345678901234567890, 1E+2, true, false, null, \"\\u00e9\\ud83d\\ude00\\t\", {}, []]"),
            Seed.text("nested", "{\"a\": [[[{\"b\": [1, {\"c\": {}}]}]]], \"d\": \"\"}"));
    static final List<String> TOKENS = List.of("\"", "\\u", "\\ud800", "\\\"", "\": ", "{\"k\": ", "[[[[", "]]]]", "{{{{",
            "1.", ".5", "01", "-", "1e", "1E+", "tru", "nul", "/*", "//");

    @Provide
    Arbitrary<Input> json() {
        return Fuzz.inputs(SEEDS, TOKENS);
    }

    @Property
    void parsesOrRefusesInOneLine(@ForAll("json") Input input) {
        Fuzz.check(input, () -> {
            Object value = Json.parse(input.text());
            assertEquals(value, Json.parse(Json.write(value)), "written back and parsed again");
            assertEquals(value, Json.parse(Json.pretty(value)), "written back indented and parsed again");
        });
    }
}
