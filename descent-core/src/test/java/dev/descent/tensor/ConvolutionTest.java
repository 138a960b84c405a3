package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Receives an entry of X_col and the input element under it. */
    private interface Entry {
        void visit(int colIndex, int xIndex);
    }

    /**
     * Visits, in im2col's order, every {@code X_col[(c·kH + a)·kW + β, i·OW + j]} of example
     * {@code n} that lies inside the image, with its {@code x[n, c, i·s − p + a, j·s − p + β]}.
     */
    private static void patches(int n, int c, int h, int w, int kernel, int stride, int pad, Entry entry) {
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        for (int ch = 0; ch < c; ch++) {
            for (int a = 0; a < kernel; a++) {
                for (int b = 0; b < kernel; b++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int row = i * stride - pad + a, col = j * stride - pad + b;
                            if (row >= 0 && row < h && col >= 0 && col < w) {
                                entry.visit(((ch * kernel + a) * kernel + b) * oh * ow + i * ow + j, ((n * c + ch) * h + row) * w + col);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest // strides 1 (runs of a row) and 2 (runs of one), with and without padding; 36 to 90
    @CsvSource({"11,11,2,1", "10,9,1,1", "8,8,1,0"}) // positions: a whole strip of Gemm.NR and a partial one
    void packedPatchesGiveWhatIm2colAndTheProductGive(int h, int w, int stride, int pad) {
        int n = 3, c = 4, o = 5, kernel = 3; // 36 rows: a whole strip and a partial one
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        int rows = c * kernel * kernel, positions = oh * ow;
        float[] xs = random(n * c * h * w), ws = random(o * rows), dys = random(n * o * positions);
        Tensor x = Tensor.of(xs, n, c, h, w).requiresGrad(true), weight = Tensor.of(ws, o, c, kernel, kernel).requiresGrad(true);
        Window window = Window.square(kernel, stride, pad, 1);
        Tensor y = Convolution.conv2d(x, weight, null, window, 1);
        Tensor dy = Tensor.of(dys, n, o, oh, ow);
        Workspace workspace = new Workspace(); // the second backward pass gets the first one's buffers back, not zeroed
        try (var active = workspace.activate()) {
            Convolution.backward(x, weight, null, window, 1, dy);
        }
        workspace.recycle();
        Tensor[] grads;
        try (var active = workspace.activate()) {
            grads = Convolution.backward(x, weight, null, window, 1, dy);
        }

        float[] expectedY = new float[n * o * positions], expectedDw = new float[o * rows], sample = new float[o * rows];
        float[] expectedDx = new float[xs.length], dcols = new float[rows * positions];
        for (int e = 0; e < n; e++) {
            float[] cols = new float[rows * positions]; // im2col: 0 in the padding
            patches(e, c, h, w, kernel, stride, pad, (at, from) -> cols[at] = xs[from]);
            Gemm.multiply(ws, 0, false, cols, 0, false, expectedY, e * o * positions, o, rows, positions);
            Gemm.multiply(dys, e * o * positions, false, cols, 0, true, sample, 0, o, positions, rows);
            for (int i = 0; i < sample.length; i++) { // the examples of one chunk summed in order
                expectedDw[i] += sample[i];
            }
            Gemm.multiply(ws, 0, true, dys, e * o * positions, false, dcols, 0, rows, o, positions);
            patches(e, c, h, w, kernel, stride, pad, (at, to) -> expectedDx[to] += dcols[at]); // col2im
        }
        assertArrayEquals(expectedY, y.toFloatArray());
        assertArrayEquals(expectedDx, grads[0].toFloatArray());
        assertArrayEquals(expectedDw, grads[1].toFloatArray());
    }
}
