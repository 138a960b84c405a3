package dev.descent.nn;

import dev.descent.tensor.Pooling;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;

/**
 * Max or average pooling over the spatial axes of {@code x [N, C, H, W]}, PyTorch's
 * {@code nn.MaxPool2d} and {@code nn.AvgPool2d} ({@link Pooling}):
 * <pre>
 *   max:     y[n, c, i, j] = max_{a, β &lt; k} x[n, c, i·s − p + a, j·s − p + β]
 *   average: y[n, c, i, j] = (1/k²) Σ_{a, β &lt; k} x[n, c, i·s − p + a, j·s − p + β]
 * </pre>
 * No parameters; the stride defaults to the kernel size.
 */
public final class Pool2d extends Module {
    private final boolean max;
    private final Window window;

    private Pool2d(boolean max, Window window) {
        this.max = max;
        this.window = window;
    }

    /** {@code nn.MaxPool2d(kernel, stride, padding)}; padding at most half the kernel. */
    public static Pool2d max(int kernel, int stride, int padding) {
        return new Pool2d(true, window(kernel, stride, padding));
    }

    /** {@code nn.AvgPool2d(kernel, stride, padding)}, padding counted as zeros. */
    public static Pool2d average(int kernel, int stride, int padding) {
        return new Pool2d(false, window(kernel, stride, padding));
    }

    private static Window window(int kernel, int stride, int padding) {
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("pooling padding " + padding + " exceeds half the kernel " + kernel);
        }
        return Window.square(kernel, stride, padding, 1);
    }

    /** Whether this is max pooling (else average pooling, padding counted as zeros). */
    public boolean isMax() {
        return max;
    }

    public Window window() {
        return window;
    }

    @Override
    public Tensor forward(Tensor x) {
        return max ? Pooling.maxPool2d(x, window) : Pooling.avgPool2d(x, window);
    }

    @Override
    public String toString() {
        return (max ? "MaxPool2d(" : "AvgPool2d(") + window + ")";
    }
}
