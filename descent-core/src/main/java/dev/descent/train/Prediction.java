package dev.descent.train;

import dev.descent.tensor.Tensor;

import java.util.List;

/**
 * What a {@link Model} predicts for {@code N} inputs: for a classifier, the probability of each
 * class and the most likely class (ties go to the lower index); for a regressor, one value each.
 *
 * @param probabilities {@code [N][C]} class probabilities (each row sums to 1), empty for regression
 * @param classNames    the {@code C} class names, empty for regression
 * @param values        {@code [N]} predicted values, empty for classification
 */
public record Prediction(float[][] probabilities, List<String> classNames, double[] values) {

    static Prediction classes(Tensor probabilities, List<String> classNames) {
        int n = probabilities.dim(0), c = probabilities.dim(1);
        float[] flat = probabilities.toFloatArray();
        float[][] rows = new float[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, rows[i], 0, c);
        }
        return new Prediction(rows, List.copyOf(classNames), new double[0]);
    }

    static Prediction values(double[] values) {
        return new Prediction(new float[0][], List.of(), values);
    }

    /** The number of inputs predicted. */
    public int size() {
        return values.length > 0 ? values.length : probabilities.length;
    }

    /** The most likely class of each input (index into {@link #classNames}). */
    public int[] classes() {
        int[] best = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            for (int k = 1; k < probabilities[i].length; k++) {
                if (probabilities[i][k] > probabilities[i][best[i]]) {
                    best[i] = k;
                }
            }
        }
        return best;
    }

    /** The name of the most likely class of input {@code i}. */
    public String className(int i) {
        return classNames.get(classes()[i]);
    }

    /** The class indices of input {@code i}, most likely first. */
    public int[] ranking(int i) {
        float[] p = probabilities[i];
        return java.util.stream.IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> a.equals(b) ? 0 : Float.compare(p[b], p[a]) != 0 ? Float.compare(p[b], p[a]) : a - b)
                .mapToInt(Integer::intValue).toArray();
    }
}
