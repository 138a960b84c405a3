package dev.descent.cli;

import dev.descent.data.table.Preprocessor;
import dev.descent.tensor.Tensor;

import java.io.PrintStream;
import java.util.Map;

/**
 * An algorithm that learns from an encoded table: the network inputs a {@link Preprocessor}
 * made and the encoded targets (class indices, or standardized values).
 */
interface TabularLearner {
    /** The rows of one part of a table as the learners see them. */
    record Encoded(Tensor inputs, float[] targets) {
        int rows() {
            return targets.length;
        }
    }

    /** A trained model: predictions for encoded inputs, and what a checkpoint stores of it. */
    interface Fitted {
        /** Class probabilities {@code [rows][classes]}, or standardized values {@code [rows][1]}. */
        double[][] predict(Tensor inputs);

        /** A one-line account of the training ("mlp: 57 epochs, best 47"). */
        String summary();

        /** Figures for the JSON summary (epochs, rounds, parameters). */
        Map<String, Object> facts();

        /** Writes the checkpoint: this model, and {@code config} (preprocessing, metrics, provenance). */
        void save(java.nio.file.Path dir, Map<String, Object> config);
    }

    /** The name the command line uses: mlp, tree, gbdt. */
    String name();

    /** Trains on {@code train}, watching {@code validation} (may be null) for early stopping. */
    Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, PrintStream log);
}
