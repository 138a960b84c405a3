package dev.descent.tensor;


import java.util.Arrays;

/**
 * Max and average pooling over the spatial axes of {@code x [N, C, H, W]}, each channel on its
 * own, with a {@link Window}:
 * <pre>
 *   max:     y[n, c, i, j] = max_{a, β} x[n, c, i·sH − pT + a·dH, j·sW − pL + β·dW]   (padding never wins)
 *   average: y[n, c, i, j] = (1 / (kH·kW)) Σ_{a, β} x[n, c, …]                       (padding counts as 0)
 * </pre>
 * as PyTorch's {@code max_pool2d} and {@code avg_pool2d} (with {@code count_include_pad}).
 * The gradient of max pooling goes to the first maximal input of each window (PyTorch's
 * choice on ties); that of average pooling is spread evenly over the window.
 */
public final class Pooling {
    private Pooling() {
    }

    /** Max pooling; the output remembers which input each maximum came from. */
    public static Tensor maxPool2d(Tensor x, Window window) {
        int[] d = outputDims(x, window);
        int planes = d[0] * d[1], positions = d[2] * d[3], plane = x.dim(2) * x.dim(3);
        int[] table = window.columnIndex(x.dim(2), x.dim(3));
        int[] argmax = new int[planes * positions];
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(d));
        Storage in = x.storage(), out = y.storage();
        Parallel.forRange(planes, Math.max(1, 4096 / Math.max(1, table.length)), (from, to) -> {
            double[] best = new double[positions];
            for (int pl = from; pl < to; pl++) {
                int base = pl * plane, at = pl * positions;
                Arrays.fill(best, Double.NEGATIVE_INFINITY);
                Arrays.fill(argmax, at, at + positions, -1);
                for (int t = 0; t < table.length; t += positions) {
                    for (int p = 0; p < positions; p++) {
                        int src = table[t + p];
                        if (src >= 0) {
                            double v = in.get(base + src);
                            if (v > best[p] || Double.isNaN(v)) {
                                best[p] = v;
                                argmax[at + p] = src;
                            }
                        }
                    }
                }
                for (int p = 0; p < positions; p++) {
                    out.set(at + p, best[p]);
                }
            }
        });
        if (Autograd.shouldRecord(x)) {
            y.record(new Op.MaxPool2d(x, window, argmax));
        }
        return y;
    }

    /** Average pooling, dividing by the window area {@code kH·kW}. */
    public static Tensor avgPool2d(Tensor x, Window window) {
        int[] d = outputDims(x, window);
        int planes = d[0] * d[1], positions = d[2] * d[3], plane = x.dim(2) * x.dim(3);
        int[] table = window.columnIndex(x.dim(2), x.dim(3));
        double scale = 1.0 / window.area();
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(d));
        Storage in = x.storage(), out = y.storage();
        Parallel.forRange(planes, Math.max(1, 4096 / Math.max(1, table.length)), (from, to) -> {
            double[] sum = new double[positions];
            for (int pl = from; pl < to; pl++) {
                int base = pl * plane, at = pl * positions;
                Arrays.fill(sum, 0);
                for (int t = 0; t < table.length; t += positions) {
                    for (int p = 0; p < positions; p++) {
                        int src = table[t + p];
                        if (src >= 0) {
                            sum[p] += in.get(base + src);
                        }
                    }
                }
                for (int p = 0; p < positions; p++) {
                    out.set(at + p, sum[p] * scale);
                }
            }
        });
        if (Autograd.shouldRecord(x)) {
            y.record(new Op.AvgPool2d(x, window));
        }
        return y;
    }

    /** The gradient of max pooling: {@code dx[argmax] += dy}. */
    public static Tensor maxPoolBackward(Tensor x, int[] argmax, Tensor dy) {
        Tensor dx = Tensor.zeros(x.dtype(), x.shape());
        int positions = dy.dim(2) * dy.dim(3), plane = x.dim(2) * x.dim(3);
        Storage g = dy.storage(), out = dx.storage();
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] >= 0) {
                int at = (i / positions) * plane + argmax[i];
                out.set(at, out.get(at) + g.get(i));
            }
        }
        return dx;
    }

    /** The gradient of average pooling: each output's gradient spread evenly over its window. */
    public static Tensor avgPoolBackward(Tensor x, Window window, Tensor dy) {
        Tensor dx = Tensor.zeros(x.dtype(), x.shape());
        int positions = dy.dim(2) * dy.dim(3), plane = x.dim(2) * x.dim(3);
        int[] table = window.columnIndex(x.dim(2), x.dim(3));
        Tensor scaled = dy.mul(1.0 / window.area());
        int planes = x.dim(0) * x.dim(1);
        Parallel.forRange(planes, Math.max(1, 4096 / Math.max(1, table.length)), (from, to) -> {
            Storage spread = Storage.allocate(x.dtype(), table.length);
            for (int pl = from; pl < to; pl++) {
                for (int t = 0; t < table.length; t++) {
                    spread.set(t, scaled.storage().get(pl * positions + t % positions));
                }
                Gather.scatterAdd(spread, 0, table, dx.storage(), pl * plane);
            }
        });
        return dx;
    }

    private static int[] outputDims(Tensor x, Window window) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("pooling wants input [N, C, H, W], got " + x.shape());
        }
        int oh = window.outHeight(x.dim(2)), ow = window.outWidth(x.dim(3));
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("a " + window.kernelH() + "x" + window.kernelW()
                    + " pooling window does not fit an input of " + x.dim(2) + "x" + x.dim(3));
        }
        return new int[] {x.dim(0), x.dim(1), oh, ow};
    }
}
