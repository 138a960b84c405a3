package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.data.Dataset;

/**
 * The naive predictor a model must beat, fitted on the training set and scored on another:
 * for classification, always the majority class (accuracy) with the training class
 * frequencies as probabilities (cross-entropy {@code −mean ln p(y)}); for regression, always
 * the training mean (mean squared error).
 */
public final class Baseline {
    private static final double FLOOR = 1e-12;

    private Baseline() {
    }

    /** The baseline's loss and accuracy on {@code data}. */
    public static Evaluation evaluate(Task task, Dataset train, Dataset data) {
        return task == Task.CLASSIFICATION ? majorityClass(train, data) : mean(train, data);
    }

    private static Evaluation majorityClass(Dataset train, Dataset data) {
        int[] labels = data.labels();
        double[] frequency = classFrequencies(train.labels(), Math.max(train.numClasses(), data.numClasses()));
        int classes = frequency.length;
        int majority = 0;
        for (int c = 1; c < classes; c++) {
            if (frequency[c] > frequency[majority]) {
                majority = c;
            }
        }
        double loss = 0;
        int correct = 0;
        for (int y : labels) {
            loss -= Math.log(Math.max(FLOOR, frequency[y]));
            if (y == majority) {
                correct++;
            }
        }
        return new Evaluation(loss / labels.length, (double) correct / labels.length, labels.length);
    }

    /**
     * The share of each class among {@code labels}, {@code p_c = n_c / N}: the baseline's class
     * probabilities, whose arg-max is the majority class.
     */
    public static double[] classFrequencies(int[] labels, int classes) {
        double[] frequency = new double[classes];
        for (int y : labels) {
            frequency[y] += 1.0 / labels.length;
        }
        return frequency;
    }

    private static Evaluation mean(Dataset train, Dataset data) {
        double mean = train.targets().mean().item();
        double[] y = data.targets().toDoubleArray();
        double sse = 0;
        for (double v : y) {
            sse += (v - mean) * (v - mean);
        }
        return new Evaluation(sse / y.length, Double.NaN, y.length);
    }
}
