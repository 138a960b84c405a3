package dev.descent.data.text;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.nn.Activation;
import dev.descent.nn.Dropout;
import dev.descent.nn.Embedding;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Recurrent;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples text from a character model: an {@link Embedding} of the vocabulary's ids, then
 * one-directional {@link Recurrent} layers and per-step layers ({@link Linear},
 * {@link Activation}, {@link Dropout}), ending in one score per character. The prompt runs
 * through the model once; then each new character is drawn from
 * {@code p_j ∝ exp(z_j / temperature)} over the last step's scores {@code z}, with
 * {@link SplittableRandom}{@code (seed)}, and fed back as a single step, every recurrent layer
 * continuing from the states it ended in (nothing is re-run). Temperature 0 takes the most
 * likely character. The same model, prompt, length, temperature and seed give the same text.
 */
public final class TextGenerator {
    private final List<Module> layers;
    private final Vocabulary vocabulary;

    /** A generator over {@code model} (in order of its children) whose ids are {@code vocabulary}'s. */
    public TextGenerator(Sequential model, Vocabulary vocabulary) {
        this.layers = new ArrayList<>(model.children().values());
        this.vocabulary = vocabulary;
        if (layers.isEmpty() || !(layers.get(0) instanceof Embedding e) || e.vocabulary() != vocabulary.size()) {
            throw new DescentException("text generation needs a model that starts with an embedding of the "
                    + vocabulary.size() + "-character vocabulary, like 'embedding(" + vocabulary.size()
                    + ",64) lstm(256,seq=true) dense(" + vocabulary.size() + ")' (the default of text data)");
        }
        for (Module m : layers) {
            boolean stepwise = m instanceof Embedding || m instanceof Linear || m instanceof Activation
                    || m instanceof Dropout || (m instanceof Recurrent r && !r.options().bidirectional());
            if (!stepwise) {
                throw new DescentException("text generation runs one step at a time, which " + m + " cannot; use"
                        + " embedding, one-directional rnn/lstm/gru, dense, activation and dropout layers");
            }
        }
    }

    /**
     * The {@code length} characters that follow {@code prompt} (not repeated in the result),
     * sampled at {@code temperature} (≥ 0) from a generator seeded with {@code seed}.
     */
    public String generate(String prompt, int length, double temperature, long seed) {
        if (prompt.isEmpty()) {
            throw new DescentException("give a prompt of at least one character to start the text from");
        }
        if (length < 1) {
            throw new DescentException("the length to generate must be at least 1 character, got " + length);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new DescentException("the temperature must be 0 (most likely character) or more, like 0.8; got "
                    + temperature);
        }
        int[] ids = vocabulary.encode(prompt);
        Module first = layers.get(0);
        boolean training = first.isTraining();
        layers.forEach(Module::eval);
        Recurrent.State[] states = new Recurrent.State[layers.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] generated = new int[length];
        try (var scope = Autograd.noGrad()) {
            for (int i = 0; i < length; i++) {
                double[] scores = lastScores(i == 0 ? ids : new int[] {generated[i - 1]}, states);
                generated[i] = sample(scores, temperature, rng);
            }
        } finally {
            layers.forEach(m -> m.train(training));
        }
        return vocabulary.decode(generated);
    }

    /** Runs {@code ids} as one sequence from the layers' states (updating them); the last step's scores. */
    private double[] lastScores(int[] ids, Recurrent.State[] states) {
        float[] x = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
        }
        Tensor y = Tensor.wrap(x, 1, ids.length);
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof Recurrent r) {
                Recurrent.Output out = r.forward(y, states[k]);
                states[k] = out.state();
                y = out.output();
            } else {
                y = layers.get(k).forward(y);
            }
        }
        int classes = y.dim(-1);
        if (classes != vocabulary.size()) {
            throw new DescentException("the model ends in " + classes + " scores, not one per character of its "
                    + vocabulary.size() + "-character vocabulary; its last layer should be dense(" + vocabulary.size() + ")");
        }
        double[] all = y.toDoubleArray();
        return java.util.Arrays.copyOfRange(all, all.length - classes, all.length);
    }

    /** A draw from {@code softmax(scores / temperature)}, or the arg-max at temperature 0. */
    static int sample(double[] scores, double temperature, SplittableRandom rng) {
        int best = 0;
        for (int j = 1; j < scores.length; j++) {
            if (scores[j] > scores[best]) {
                best = j;
            }
        }
        if (temperature == 0) {
            return best;
        }
        double[] weights = new double[scores.length];
        double total = 0;
        for (int j = 0; j < scores.length; j++) {
            weights[j] = Math.exp((scores[j] - scores[best]) / temperature);
            total += weights[j];
        }
        double u = rng.nextDouble() * total;
        for (int j = 0; j < scores.length; j++) {
            u -= weights[j];
            if (u < 0) {
                return j;
            }
        }
        return best;
    }
}
