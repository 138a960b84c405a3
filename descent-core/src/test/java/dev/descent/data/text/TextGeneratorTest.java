package dev.descent.data.text;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextGeneratorTest {
    private static final Vocabulary VOCABULARY = Vocabulary.of("In the beginning God created the heaven and the earth.\n");

    private static Sequential model(String recurrent) {
        int v = VOCABULARY.size();
        return ModelSpec.parse("embedding(" + v + ",8) " + recurrent + " dense(" + v + ")")
                .build(new int[] {10}, new SplittableRandom(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm(16,seq=true)", "gru(12,seq=true)", "rnn(8,seq=true) relu", "lstm(16,seq=true,layers=2)"})
    void theSameSeedGivesTheSameTextAndAnotherSeedAnother(String recurrent) {
        TextGenerator generator = new TextGenerator(model(recurrent), VOCABULARY);
        String a = generator.generate("In the", 200, 1.0, 7), b = generator.generate("In the", 200, 1.0, 7);
        assertEquals(a, b);
        assertEquals(200, a.codePointCount(0, a.length()));
        assertNotEquals(a, generator.generate("In the", 200, 1.0, 8));
        VOCABULARY.encode(a); // every character is the vocabulary's
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm(16,seq=true)", "gru(12,seq=true) tanh", "lstm(16,seq=true,layers=2) lstm(8)"})
    void carryingTheStateStepByStepEqualsRerunningTheWholeText(String recurrent) {
        Sequential model = model(recurrent);
        String prompt = "God created", generated = new TextGenerator(model, VOCABULARY).generate(prompt, 40, 0, 1);
        // at temperature 0 each character is the arg-max of the scores after the text so far, computed all at once here
        int[] ids = VOCABULARY.encode(prompt + generated);
        float[] x = new float[ids.length - 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = ids[i];
        }
        model.eval();
        if (recurrent.endsWith("lstm(8)")) { // the final-state layer scores only the last step: check that one
            try (var scope = Autograd.noGrad()) {
                Tensor scores = model.forward(Tensor.wrap(x, 1, x.length));
                assertEquals(ids[ids.length - 1], (int) scores.argmax(-1).item());
            }
            return;
        }
        try (var scope = Autograd.noGrad()) {
            int[] best = model.forward(Tensor.wrap(x, 1, x.length)).argmax(-1).toIntArray();
            for (int i = 0; i < generated.length(); i++) {
                assertEquals(ids[prompt.length() + i], best[prompt.length() - 1 + i], "character " + i);
            }
        }
    }

    @Test
    void lowTemperaturesConcentrateOnTheLikeliestCharacter() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] scores = {0.1, 2.0, -1.0, 1.5};
        int likeliest = 0;
        for (int i = 0; i < 1000; i++) {
            likeliest += TextGenerator.sample(scores, 0.05, rng) == 1 ? 1 : 0;
        }
        assertTrue(likeliest > 990, "picked " + likeliest);
        int[] counts = new int[4];
        for (int i = 0; i < 20_000; i++) {
            counts[TextGenerator.sample(scores, 1.0, rng)]++;
        }
        double total = Math.exp(0.1) + Math.exp(2.0) + Math.exp(-1.0) + Math.exp(1.5);
        for (int j = 0; j < 4; j++) {
            assertEquals(Math.exp(scores[j]) / total, counts[j] / 20_000.0, 0.015, "class " + j);
        }
    }

    @Test
    void modelsThatCannotRunStepByStepAndBadSettingsAreUserErrors() {
        assertThrows(DescentException.class, () -> new TextGenerator(model("lstm(8,seq=true,bidirectional=true)"), VOCABULARY));
        assertThrows(DescentException.class, () -> new TextGenerator(model("lstm(8,seq=true) layernorm"), VOCABULARY));
        assertThrows(DescentException.class, () -> new TextGenerator(
                ModelSpec.parse("lstm(8) dense(3)").build(new int[] {4, 3}, new SplittableRandom(1)), VOCABULARY));
        TextGenerator generator = new TextGenerator(model("lstm(8,seq=true)"), VOCABULARY);
        assertThrows(DescentException.class, () -> generator.generate("", 5, 1, 1));
        assertThrows(DescentException.class, () -> generator.generate("In", 5, -1, 1));
        assertThrows(DescentException.class, () -> generator.generate("In", 0, 1, 1));
        assertEquals("the characters 'Z', '%' are not in the model's vocabulary of " + VOCABULARY.size()
                + " characters; use characters of its training text",
                assertThrows(DescentException.class, () -> generator.generate("Zion%Z", 5, 1, 1)).getMessage());
    }
}
