package dev.descent.nn.init;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.random.RandomGenerator;

/** The orthogonal initializer's arithmetic, see {@link Initializer#orthogonal(double)}. */
final class Orthogonal {
    private Orthogonal() {
    }

    static Tensor create(RandomGenerator rng, DType dtype, Shape shape, double gain) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("orthogonal initialization needs a weight of rank ≥ 2, got " + shape);
        }
        int rows = shape.dim(0), cols = shape.size() / rows;
        int tall = Math.max(rows, cols), narrow = Math.min(rows, cols);
        double[][] q = new double[narrow][tall]; // q[j] is column j of the tall Gaussian matrix
        for (double[] column : q) {
            for (int i = 0; i < tall; i++) {
                column[i] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < narrow; j++) {
            for (int k = 0; k < j; k++) {
                double dot = dot(q[j], q[k]);
                for (int i = 0; i < tall; i++) {
                    q[j][i] -= dot * q[k][i];
                }
            }
            double norm = Math.sqrt(dot(q[j], q[j]));
            for (int i = 0; i < tall; i++) {
                q[j][i] /= norm;
            }
        }
        Tensor out = Tensor.zeros(dtype, shape);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rows >= cols ? q[c][r] : q[r][c];
                out.storage().set(r * cols + c, gain * v);
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
