package dev.descent.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * The gradient sum {@code Σ_i ∇ℓ_i} of some rows of a batch, per parameter, then per buffer
 * (running statistics) each share's values times its rows, with their count, loss sum
 * {@code Σ_i ℓ_i} and correct predictions: what {@code treeAggregate} adds up. The empty sum has
 * no arrays (so it travels small).
 */
final class GradientSum implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final float[][] sums;
    final int rows;
    final double loss;
    final long correct;

    /**
     * The sums of {@code rows} rows whose mean gradients are {@code meanGrads} (scaled by
     * {@code rows} here, in place), mean loss times rows {@code loss}.
     */
    GradientSum(float[][] meanGrads, int rows, double loss, long correct) {
        if (meanGrads != null) {
            for (float[] g : meanGrads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= rows;
                }
            }
        }
        this.sums = meanGrads;
        this.rows = rows;
        this.loss = loss;
        this.correct = correct;
    }

    private GradientSum(float[][] sums, int rows, double loss, long correct, boolean summed) {
        this.sums = sums;
        this.rows = rows;
        this.loss = loss;
        this.correct = correct;
    }

    static GradientSum empty() {
        return new GradientSum(null, 0, 0, 0, true);
    }

    /** This sum and {@code other}, added into this one's arrays when it has them. */
    GradientSum add(GradientSum other) {
        if (other.sums == null) {
            return this;
        }
        if (sums == null) {
            return other;
        }
        for (int p = 0; p < sums.length; p++) {
            float[] a = sums[p], b = other.sums[p];
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
        return new GradientSum(sums, rows + other.rows, loss + other.loss, correct + other.correct, true);
    }
}
