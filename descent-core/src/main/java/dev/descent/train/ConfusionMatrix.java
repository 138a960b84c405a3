package dev.descent.train;

import dev.descent.tensor.Autograd;
import dev.descent.data.Dataset;
import dev.descent.nn.Module;

/**
 * Counts {@code C[t][p]}: the examples of true class t that the model assigns to class
 * p = argmax of its output, in evaluation mode without recording.
 */
public final class ConfusionMatrix {
    private static final int BATCH = 1000;

    private ConfusionMatrix() {
    }

    /** The {@code classes × classes} counts of {@code model} on {@code data}. */
    public static long[][] of(Module model, Dataset data, int classes) {
        long[][] counts = new long[classes][classes];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var scope = Autograd.noGrad()) {
            for (int from = 0; from < data.size(); from += BATCH) {
                Dataset part = data.slice(from, Math.min(data.size(), from + BATCH));
                int[] predicted = model.forward(part.inputs()).argmax(-1).toIntArray(), truth = part.labels();
                for (int i = 0; i < truth.length; i++) {
                    counts[truth[i]][predicted[i]]++;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return counts;
    }
}
