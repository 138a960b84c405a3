package dev.descent.nn;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target of the model specification text: {@link ModelSpec#parse}, its canonical text
 * ({@code toString} parses back to an equal specification), the memory check
 * {@link ModelSpec#requireFitsIn} and {@link ModelSpec#build} for one of a few input shapes.
 * Each step returns or refuses the text in one line. Models that need more than
 * {@value #BUDGET_MB} MB are refused by the memory check with that budget, so the target
 * builds only small ones.
 */
class ModelSpecFuzzTest {
    private static final long BUDGET_MB = 64;
    private static final List<Seed> SEEDS = seeds();

    private static List<Seed> seeds() {
        List<Seed> seeds = new ArrayList<>();
        ModelSpec.PRESETS.forEach((name, text) -> seeds.add(Seed.text(name, text)));
        seeds.add(Seed.text("convolutions", "conv(16, 3, padding=same) batchnorm conv(32,3,stride=2,dilation=1,bias=false)"
                + " maxpool(2,stride=1) avgpool(2) gap layernorm(eps=0.001) dense(10)"));
        seeds.add(Seed.text("activations", "flatten dense(8) leaky_relu(0.1) dense(8) elu(1) gelu silu sigmoid tanh"
                + " dropout(0.5) dense(4) softmax"));
        seeds.add(Seed.text("groups", "conv(4,3,groups=2,padding=1) avgpool(2,stride=2,padding=1) batchnorm(momentum=0.5,affine=false)"
                + " flatten layernorm(affine=false) dense(3) log_softmax"));
        return seeds;
    }

    @Provide
    Arbitrary<Input> specs() {
        return Fuzz.inputs(SEEDS, List.of("dense(", "conv(", "maxpool(", "avgpool(", "batchnorm", "layernorm", "dropout(",
                "flatten", "gap", "relu", "leaky_relu(", "stride=", "padding=", "same", "dilation=", "groups=", "bias=",
                "eps=", "momentum=", "affine=", "16777216", "16777217", "2147483647", "1e300", "0.", ") ", "((", "))"));
    }

    @Provide
    Arbitrary<int[]> inputShapes() {
        return Arbitraries.of(new int[] {1, 8, 8}, new int[] {2, 5, 7}, new int[] {12}, new int[] {3, 4});
    }

    @Property
    void parsesAndBuildsOrRefusesInOneLine(@ForAll("specs") Input input, @ForAll("inputShapes") int[] inputShape) {
        Fuzz.check(input, () -> {
            ModelSpec spec = ModelSpec.parse(input.text());
            assertEquals(spec, ModelSpec.parse(spec.toString()), "the canonical text parses back");
            spec.requireFitsIn(inputShape, BUDGET_MB << 20);
            spec.build(inputShape, new SplittableRandom(1));
        });
    }
}
