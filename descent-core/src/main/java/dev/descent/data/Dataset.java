package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * Examples for supervised learning: {@code inputs} of shape {@code [N, ...]} and
 * {@code targets} of shape {@code [N]} (class indices stored as floats, or regression values)
 * or {@code [N, k]}. Example {@code i} is {@code (inputs[i], targets[i])}.
 */
public record Dataset(Tensor inputs, Tensor targets) {
    public Dataset {
        if (inputs.rank() < 1 || targets.rank() < 1) {
            throw new DescentException("a data set needs inputs and targets with a leading example axis, got shapes "
                    + inputs.shape() + " and " + targets.shape() + "; give both at least one dimension");
        }
        if (inputs.dim(0) != targets.dim(0)) {
            throw new DescentException("the data set has " + inputs.dim(0) + " inputs but " + targets.dim(0)
                    + " targets; give one target per input");
        }
    }

    /** The number of examples, N. */
    public int size() {
        return inputs.dim(0);
    }

    /** The targets as class indices; they must be a 1-D tensor of non-negative whole numbers. */
    public int[] labels() {
        if (targets.rank() != 1) {
            throw new DescentException("class labels need targets of shape [N], these have shape " + targets.shape()
                    + "; use a classification data set");
        }
        int[] labels = new int[size()];
        for (int i = 0; i < labels.length; i++) {
            double v = targets.storage().get(i);
            if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                throw new DescentException("target " + i + " is " + v + ", not a class index; class labels must be"
                        + " whole numbers 0, 1, 2, ...");
            }
            labels[i] = (int) v;
        }
        return labels;
    }

    /** The number of classes: the largest label plus one (0 for an empty data set). */
    public int numClasses() {
        return Arrays.stream(labels()).max().orElse(-1) + 1;
    }

    /** The examples at {@code indices}, in that order (copies). */
    public Dataset subset(int... indices) {
        return new Dataset(inputs.indexSelect(0, indices), targets.indexSelect(0, indices));
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive) (copies). */
    public Dataset slice(int from, int to) {
        return new Dataset(inputs.slice(0, from, to), targets.slice(0, from, to));
    }

    /** Rows of features with their class labels 0, 1, 2, ... (copies). */
    public static Dataset of(float[][] inputs, int[] labels) {
        float[] targets = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new DescentException("label " + i + " is " + labels[i] + "; class labels are 0, 1, 2, ...");
            }
            targets[i] = labels[i];
        }
        return new Dataset(Tensor.of(inputs), Tensor.wrap(targets, labels.length));
    }

    /** Rows of features with real-valued targets {@code [N, 1]}, for regression with one output (copies). */
    public static Dataset of(float[][] inputs, float[] values) {
        return new Dataset(Tensor.of(inputs), Tensor.of(values, values.length, 1));
    }
}
