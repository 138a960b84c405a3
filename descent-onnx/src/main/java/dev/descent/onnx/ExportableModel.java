package dev.descent.onnx;

import dev.descent.data.Normalizer;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Target;
import dev.descent.nn.Module;
import dev.descent.data.Task;

import java.util.List;

/**
 * A trained model as the ONNX exporter sees it: the raw input it is given, what maps the encoded
 * input to scores, and what the scores mean. {@link CheckpointAdapter} makes one from a checkpoint
 * folder; a Java program may make one directly.
 *
 * @param specification the model specification text, stored as the ONNX model's doc string
 * @param scorer        the network or the trees, from the encoded input to scores (logits, margins or values)
 * @param input         the raw input and the preprocessing the graph applies to it
 * @param task          classification (the graph answers class probabilities) or regression (values)
 * @param classes       the class names in output order; empty for regression
 * @param targetMean    regression: μ of the decoded value {@code μ + σ·z} of a network output z (0 otherwise)
 * @param targetStd     regression: σ of the decoded value (1 otherwise)
 */
public record ExportableModel(String specification, Scorer scorer, Input input, Task task, List<String> classes,
                              double targetMean, double targetStd) {
    public ExportableModel {
        classes = List.copyOf(classes);
    }

    /** What maps the encoded input to scores. */
    public sealed interface Scorer permits Network, Trees {
    }

    /** A network, run in evaluation mode. */
    public record Network(Module module) implements Scorer {
    }

    /** Gradient-boosted trees or one tree, as XGBoost's JSON model format describes them. */
    public record Trees(String xgboostJson) implements Scorer {
    }

    /** The raw input of the graph. */
    public sealed interface Input permits ArrayInput, TableInput, TokenInput {
    }

    /**
     * Arrays {@code [N, shape...]}: images of raw pixel values 0–255 when {@code pixels} (the graph
     * divides them by 255, as {@code descent predict} does), other numbers as they are; then
     * standardized with {@code normalizer} (null: none).
     */
    public record ArrayInput(int[] shape, boolean pixels, Normalizer normalizer) implements Input {
        public ArrayInput {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /**
     * Token ids {@code [N, T]} (whole numbers 0…V−1, of any length T) read by a network that starts
     * with an embedding; {@code steps} is a length the network takes (its training length), to trace
     * its shapes; {@code vocabulary} holds a character model's characters in id order (empty when the
     * model has none).
     */
    public record TokenInput(int steps, List<String> vocabulary) implements Input {
        public TokenInput {
            vocabulary = List.copyOf(vocabulary);
        }
    }

    /** Table rows, one graph input per column, encoded inside the graph by the fitted {@code preprocessor}. */
    public record TableInput(Preprocessor preprocessor) implements Input {
    }

    /**
     * A network trained on arrays of {@code shape} (images of pixel values when {@code pixels}):
     * classification into {@code classes} (in output order), or regression.
     */
    public static ExportableModel arrays(String specification, Module network, int[] shape, boolean pixels,
                                         Normalizer normalizer, Task task, List<String> classes) {
        return new ExportableModel(specification, new Network(network), new ArrayInput(shape, pixels, normalizer), task,
                task == Task.REGRESSION ? List.of() : classes, 0, 1);
    }

    /**
     * A classifier of token sequences: {@code network} starts with an embedding and answers scores
     * over {@code classes} for each step (a character model: the next character, its classes
     * the vocabulary) or for the whole sequence.
     */
    public static ExportableModel tokens(String specification, Module network, int steps, List<String> vocabulary,
                                         List<String> classes) {
        return new ExportableModel(specification, new Network(network), new TokenInput(steps, vocabulary),
                Task.CLASSIFICATION, classes, 0, 1);
    }

    /** A network or trees trained on the inputs {@code preprocessor} makes, predicting its target. */
    public static ExportableModel table(String specification, Scorer scorer, Preprocessor preprocessor) {
        Target target = preprocessor.target();
        return new ExportableModel(specification, scorer, new TableInput(preprocessor), target.task(), target.classes(),
                target.mean(), target.std());
    }
}
