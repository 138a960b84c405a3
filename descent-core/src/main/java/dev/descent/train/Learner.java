package dev.descent.train;

import dev.descent.data.table.Preprocessor;
import dev.descent.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An algorithm that learns from an encoded table: the inputs a {@link Preprocessor} made and the
 * encoded targets (class indices, or standardized values). The network ({@code mlp}) is built
 * in; tree algorithms come from other modules through {@link Provider} (descent-trees: {@code
 * tree}, {@code gbdt}), found by {@link Learners}.
 */
public interface Learner {
    /** The rows of one part of a table as the learners see them. */
    record Encoded(Tensor inputs, float[] targets) {
        public int rows() {
            return targets.length;
        }
    }

    /** A trained model: predictions for encoded inputs, and what a checkpoint stores of it. */
    interface Fitted {
        /** Class probabilities {@code [rows][classes]}, or standardized values {@code [rows][1]}. */
        double[][] predict(Tensor inputs);

        /** A one-line account of the training ("mlp: 57 epochs, kept epoch 47"). */
        String summary();

        /** Figures for the JSON summary (epochs, rounds, parameters). */
        Map<String, Object> facts();
    }

    /** Tree algorithms (or others) living outside the core, registered as a {@link java.util.ServiceLoader} service. */
    interface Provider {
        /** The algorithm names it offers. */
        List<String> names();

        /** The learner {@code name} with the settings' seed and threads. */
        Learner create(String name, TrainingSettings settings);

        /** Writes a model it fitted into the run folder {@code dir}, with {@code config} (preprocessing, metrics, provenance). */
        void save(Fitted fitted, Path dir, Map<String, Object> config);

        /** A model of algorithm {@code name} saved in {@code dir}. */
        Fitted load(String name, Path dir, Preprocessor preprocessor);
    }

    /** The name the command line uses: mlp, tree, gbdt. */
    String name();

    /** Trains on {@code train}, watching {@code validation} (may be null) for early stopping. */
    Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, Consumer<String> log);
}
