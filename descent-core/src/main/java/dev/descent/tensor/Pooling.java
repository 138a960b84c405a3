package dev.descent.tensor;


import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 *
 * <p>Float tensors take a path over their arrays (no boxed element access, no widening to
 * double), max pooling L output positions at a time with one gather per kernel tap: max pooling
 * was 6% of the CNN's training time through {@link Storage#get}, its backward pass 1.5% on one
 * thread. Both paths make the same comparisons in the same order.
 */
public final class Pooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());

    private Pooling() {
    }

    /** Max pooling; the output remembers which input each maximum came from. */
    public static Tensor maxPool2d(Tensor x, Window window) {
        int[] d = outputDims(x, window);
        int planes = d[0] * d[1], positions = d[2] * d[3], plane = x.dim(2) * x.dim(3);
        int[] table = window.columnIndex(x.dim(2), x.dim(3));
        int[] argmax = new int[planes * positions];
        Tensor y = Tensor.forOverwrite(x.dtype(), Shape.of(d)); // both paths write every output
        Storage in = x.storage(), out = y.storage();
        int grain = Math.max(1, 4096 / Math.max(1, table.length));
        if (in instanceof FloatStorage(float[] xs) && out instanceof FloatStorage(float[] ys)) {
            int[] gathered = Arrays.stream(table).map(t -> Math.max(t, 0)).toArray(); // a gather checks its masked-off lanes too
            Parallel.forRange(planes, grain, (from, to) -> maxPoolPlanes(xs, ys, argmax, table, gathered, plane, positions, from, to));
            if (Autograd.shouldRecord(x)) {
                y.record(new Op.MaxPool2d(x, window, argmax));
            }
            return y;
        }
        Parallel.forRange(planes, grain, (from, to) -> {
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

    /**
     * Max pooling of the float planes {@code from..to}: {@code y} holds the running maximum of each
     * position, the taps visited in the table's order, a larger value or a NaN replacing it. The
     * positions go L at a time (a gather per tap through {@code gathered}, the table with 0 for
     * −1, padding masked off), the rest one at a time.
     */
    private static void maxPoolPlanes(float[] x, float[] y, int[] argmax, int[] table, int[] gathered, int plane,
                                      int positions, int from, int to) {
        int bound = S.loopBound(positions);
        for (int pl = from; pl < to; pl++) {
            int base = pl * plane, at = pl * positions;
            for (int p = 0; p < bound; p += S.length()) {
                FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                IntVector arg = IntVector.broadcast(I, -1);
                for (int t = p; t < table.length; t += positions) {
                    IntVector index = IntVector.fromArray(I, table, t);
                    VectorMask<Float> inside = index.compare(VectorOperators.GE, 0).cast(S);
                    FloatVector v = FloatVector.fromArray(S, x, base, gathered, t, inside);
                    VectorMask<Float> wins = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN)).and(inside);
                    best = best.blend(v, wins);
                    arg = arg.blend(index, wins.cast(I));
                }
                best.intoArray(y, at + p);
                arg.intoArray(argmax, at + p);
            }
            Arrays.fill(y, at + bound, at + positions, Float.NEGATIVE_INFINITY);
            Arrays.fill(argmax, at + bound, at + positions, -1);
            for (int t = 0; t < table.length; t += positions) {
                for (int p = bound; p < positions; p++) {
                    int src = table[t + p];
                    if (src >= 0) {
                        float v = x[base + src];
                        if (v > y[at + p] || v != v) {
                            y[at + p] = v;
                            argmax[at + p] = src;
                        }
                    }
                }
            }
        }
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
        int positions = dy.dim(2) * dy.dim(3), plane = x.dim(2) * x.dim(3);
        if (dy.storage() instanceof FloatStorage(float[] gs) && x.dtype() == DType.FLOAT32) {
            // each plane's maxima lie in its own plane of dx: planes in parallel, each zeroed by its task
            Tensor dx = Tensor.forOverwrite(x.dtype(), x.shape());
            float[] os = ((FloatStorage) dx.storage()).data();
            Parallel.forRange(argmax.length / Math.max(1, positions), Math.max(1, 4096 / Math.max(1, positions)),
                    (from, to) -> {
                        Arrays.fill(os, from * plane, to * plane, 0f);
                        for (int i = from * positions; i < to * positions; i++) {
                            if (argmax[i] >= 0) {
                                os[(i / positions) * plane + argmax[i]] += gs[i];
                            }
                        }
                    });
            return dx;
        }
        Tensor dx = Tensor.zeros(x.dtype(), x.shape());
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
