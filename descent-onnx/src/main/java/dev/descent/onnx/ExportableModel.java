package dev.descent.onnx;

import dev.descent.data.Normalizer;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Target;
import dev.descent.nn.Module;
import dev.descent.train.Task;

import java.util.List;
import java.util.stream.IntStream;

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
    public sealed interface Input permits ImageInput, TableInput {
    }

    /**
     * Images {@code [N, shape...]} of raw pixel values 0–255, which the graph divides by 255 and
     * then standardizes with {@code normalizer} (null: none), as {@code descent predict} does.
     */
    public record ImageInput(int[] shape, Normalizer normalizer) implements Input {
        public ImageInput {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** Table rows, one graph input per column, encoded inside the graph by the fitted {@code preprocessor}. */
    public record TableInput(Preprocessor preprocessor) implements Input {
    }

    /**
     * A network trained on images of {@code shape}: classification with class names
     * {@code "0", "1", …} up to {@code classes − 1}, or regression.
     */
    public static ExportableModel images(String specification, Module network, int[] shape, Normalizer normalizer,
                                         Task task, int classes) {
        List<String> names = task == Task.REGRESSION ? List.of()
                : IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        return new ExportableModel(specification, new Network(network), new ImageInput(shape, normalizer), task, names, 0, 1);
    }

    /** A network or trees trained on the inputs {@code preprocessor} makes, predicting its target. */
    public static ExportableModel table(String specification, Scorer scorer, Preprocessor preprocessor) {
        Target target = preprocessor.target();
        return new ExportableModel(specification, scorer, new TableInput(preprocessor), target.task(), target.classes(),
                target.mean(), target.std());
    }
}
