package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The float path of max pooling against the double one, on ties, NaN, windows of −∞ and padding. */
class PoolingTest {
    @Test
    void floatMaxPoolingChoosesWhatTheDoublePathChooses() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 3, c = 5, h = 9, w = 8;
        float[] values = new float[n * c * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(4); // few distinct values: many ties
        }
        values[3] = Float.NaN;
        values[20] = Float.NaN;
        Arrays.fill(values, 72, 72 + 2 * w, Float.NEGATIVE_INFINITY); // whole windows of −∞: no argmax
        for (Window window : new Window[] {Window.square(2, 2, 0, 1), Window.square(3, 2, 1, 1)}) {
            Tensor xf = Tensor.of(values, n, c, h, w).requiresGrad(true), xd = xf.to(DType.FLOAT64).requiresGrad(true);
            Tensor yf = Pooling.maxPool2d(xf, window), yd = Pooling.maxPool2d(xd, window);
            assertArrayEquals(yd.toDoubleArray(), yf.to(DType.FLOAT64).toDoubleArray());
            int[] argmaxF = ((Op.MaxPool2d) yf.gradFn()).argmax(), argmaxD = ((Op.MaxPool2d) yd.gradFn()).argmax();
            assertArrayEquals(argmaxD, argmaxF);
            float[] g = new float[yf.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextDouble();
            }
            Tensor dyf = Tensor.of(g, yf.dims());
            Workspace workspace = new Workspace(); // the second pass gets the first one's buffer back, not zeroed
            try (var active = workspace.activate()) {
                Pooling.maxPoolBackward(xf, argmaxF, dyf).fillInPlace(5);
            }
            workspace.recycle();
            Tensor dxf;
            try (var active = workspace.activate()) {
                dxf = Pooling.maxPoolBackward(xf, argmaxF, dyf);
            }
            Tensor dxd = Pooling.maxPoolBackward(xd, argmaxD, dyf.to(DType.FLOAT64));
            // overlapping windows add several gradients into one input: in double there, in float here
            assertArrayEquals(dxd.toDoubleArray(), dxf.to(DType.FLOAT64).toDoubleArray(), 1e-6);
        }
    }
}
