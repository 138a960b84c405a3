package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float convolution, whose products pack the patches of the input without storing im2col's
 * matrix, against im2col written out from its formula and {@link Gemm#multiply}: bit for bit.
 */
class ConvolutionTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** {@code X_col[(c·kH + a)·kW + β, i·OW + j] = x[n, c, i·s − p + a, j·s − p + β]}, 0 outside. */
    private static float[] im2col(float[] x, int n, int c, int h, int w, int kernel, int stride, int pad) {
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        float[] cols = new float[c * kernel * kernel * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int a = 0; a < kernel; a++) {
                for (int b = 0; b < kernel; b++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int row = i * stride - pad + a, col = j * stride - pad + b;
                            boolean inside = row >= 0 && row < h && col >= 0 && col < w;
                            cols[((ch * kernel + a) * kernel + b) * oh * ow + i * ow + j] =
                                    inside ? x[((n * c + ch) * h + row) * w + col] : 0f;
                        }
                    }
                }
            }
        }
        return cols;
    }

    @Test // 36 positions: one whole strip of Gemm.NR = 32 (on 512-bit vectors) and a partial one; 27 rows
    void packedPatchesGiveWhatIm2colAndTheProductGive() {
        int n = 3, c = 3, h = 11, w = 11, o = 5, kernel = 3, stride = 2, pad = 1;
        int rows = c * kernel * kernel, positions = 6 * 6;
        float[] xs = random(n * c * h * w), ws = random(o * rows), dys = random(n * o * positions);
        Tensor x = Tensor.of(xs, n, c, h, w), weight = Tensor.of(ws, o, c, kernel, kernel).requiresGrad(true);
        Window window = Window.square(kernel, stride, pad, 1);
        Tensor y = Convolution.conv2d(x, weight, null, window, 1);
        Tensor dw = Convolution.backward(x, weight, null, window, 1, Tensor.of(dys, n, o, 6, 6))[1];

        float[] expectedY = new float[n * o * positions], expectedDw = new float[o * rows], sample = new float[o * rows];
        for (int e = 0; e < n; e++) {
            float[] cols = im2col(xs, e, c, h, w, kernel, stride, pad);
            Gemm.multiply(ws, 0, false, cols, 0, false, expectedY, e * o * positions, o, rows, positions);
            Gemm.multiply(dys, e * o * positions, false, cols, 0, true, sample, 0, o, positions, rows);
            for (int i = 0; i < sample.length; i++) { // the examples of one chunk summed in order
                expectedDw[i] += sample[i];
            }
        }
        assertArrayEquals(expectedY, y.toFloatArray());
        assertArrayEquals(expectedDw, dw.toFloatArray());
    }
}
