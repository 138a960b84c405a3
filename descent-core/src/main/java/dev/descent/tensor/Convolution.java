package dev.descent.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;


/**
 * Two-dimensional convolution (PyTorch's {@code conv2d}, a cross-correlation) of an input
 * {@code x [N, C, H, W]} with weights {@code w [O, C/G, kH, kW]} and an optional bias
 * {@code b [O]} in {@code G} groups:
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c ∈ group(o)} Σ_{a, β} w[o, c, a, β] · x[n, c, i·sH − pT + a·dH, j·sW − pL + β·dW]
 * </pre>
 * with zero padding outside the input ({@link Window}). Each example is computed as im2col
 * followed by one matrix product per group on the {@link Kernels}: the columns
 * {@code X_col [C/G·kH·kW, OH·OW]} hold the input values under each kernel tap, and
 * {@code Y_g = W_g·X_col}. The backward pass uses {@code ∂W_g = Σ_n ∂Y_g·X_colᵀ},
 * {@code ∂X_col = W_gᵀ·∂Y_g} scattered back by col2im, and {@code ∂b[o] = Σ_{n,i,j} ∂y[n, o, i, j]}.
 * Examples are spread over the {@link Parallel} pool; weight gradients are summed over fixed
 * chunks of examples in a fixed order, so results do not depend on the thread count.
 *
 * <p>With float tensors and the built-in matrix product ({@link Gemm}), the products that read
 * {@code X_col} (the forward one and the weight gradient's) never store it: {@link #patches}
 * gathers the input straight into the micro-kernel's packed strips, the same values in the
 * same places, so the results are bit-identical to im2col followed by the product. That
 * saves writing and reading back the {@code C/G·kH·kW × OH·OW} matrix (663 KB per example for
 * the CNN's second layer, more than L2) twice per example and step. {@code W_g} and
 * {@code W_gᵀ} are packed once per call for all the examples ({@link Gemm#packA}).
 */
public final class Convolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Examples per chunk of the weight-gradient sum. */
    private static final int CHUNK = 8;

    private Convolution() {
    }

    /**
     * The convolution of {@code x [N, C, H, W]} with {@code w [O, C/groups, kH, kW]} and
     * {@code b [O]} (may be null); the window's kernel size must be that of {@code w}.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, Window window, int groups) {
        Geometry g = Geometry.of(x, w, b, window, groups);
        Tensor y = Tensor.forOverwrite(x.dtype(), Shape.of(g.n, g.outChannels, g.outH, g.outW)); // every example's matmul writes its part
        Kernels k = Kernels.of(x.dtype());
        boolean fused = fusedPacking(x);
        float[][] packedW = fused ? packedWeights(w, g, false) : null;
        Parallel.forRange(g.n, Math.max(1, g.n / (4 * Parallel.threads())), (from, to) -> {
            Storage cols = fused ? null : Storage.allocate(x.dtype(), g.colSize());
            for (int n = from; n < to; n++) {
                for (int grp = 0; grp < groups; grp++) {
                    int wOff = grp * g.groupOut * g.rows();
                    if (fused) {
                        Gemm.multiplyPackedA(packedW[grp], patches(floats(x), g.inputOffset(n, grp), g, false),
                                floats(y), g.outputOffset(n, grp), g.groupOut, g.rows(), g.positions());
                    } else {
                        im2col(x.storage(), g.inputOffset(n, grp), g, cols);
                        k.matmul(w.storage(), wOff, false, cols, 0, false,
                                y.storage(), g.outputOffset(n, grp), g.groupOut, g.rows(), g.positions());
                    }
                }
                if (b != null) {
                    addBias(y.storage(), n, b.storage(), g);
                }
            }
        });
        if (Autograd.shouldRecord(x, w, b)) {
            y.record(new Op.Conv2d(x, w, b, window, groups));
        }
        return y;
    }

    /** Gradients of {@code x}, {@code w} and (when not null) {@code b} for the output gradient {@code dy}. */
    public static Tensor[] backward(Tensor x, Tensor w, Tensor b, Window window, int groups, Tensor dy) {
        Geometry g = Geometry.of(x, w, b, window, groups);
        Kernels k = Kernels.of(x.dtype());
        DType dtype = x.dtype();
        boolean fused = fusedPacking(x);
        // with float arrays, each example's part of dx is zeroed by the task that adds into it
        Tensor dx = !x.requiresGrad() ? null : fused ? Tensor.forOverwrite(dtype, x.shape()) : Tensor.zeros(dtype, x.shape());
        Tensor dw = w.requiresGrad() ? Tensor.zeros(dtype, w.shape()) : null;
        int chunks = (g.n + CHUNK - 1) / CHUNK;
        Storage[] dwParts = new Storage[chunks];
        float[][] packedWt = fused && dx != null ? packedWeights(w, g, true) : null;
        Parallel.forRange(g.n, CHUNK, (from, to) -> {
            Storage cols = fused && dx == null ? null : Storage.allocate(dtype, g.colSize());
            Storage dwSample = dw == null ? null : Storage.allocate(dtype, g.groupOut * g.rows());
            // One partial sum per fixed chunk, even when this call covers several chunks (one thread).
            for (int chunk = from; chunk < to; chunk += CHUNK) {
                Storage dwSum = dw == null ? null : Storage.allocate(dtype, w.size());
                for (int n = chunk; n < Math.min(to, chunk + CHUNK); n++) {
                    if (dx != null && fused) {
                        Arrays.fill(floats(dx), g.inputOffset(n, 0), g.inputOffset(n + 1, 0), 0f);
                    }
                    for (int grp = 0; grp < groups; grp++) {
                        int yOff = g.outputOffset(n, grp), wOff = grp * g.groupOut * g.rows();
                        if (dw != null && fused) {
                            Gemm.multiply(floats(dy), yOff, false, patches(floats(x), g.inputOffset(n, grp), g, true),
                                    ((FloatStorage) dwSample).data(), 0, g.groupOut, g.positions(), g.rows());
                            addInto(dwSample, dwSum, wOff);
                        } else if (dw != null) {
                            im2col(x.storage(), g.inputOffset(n, grp), g, cols);
                            k.matmul(dy.storage(), yOff, false, cols, 0, true, dwSample, 0, g.groupOut, g.positions(), g.rows());
                            addInto(dwSample, dwSum, wOff);
                        }
                        if (dx != null && fused) {
                            Gemm.multiplyPackedA(packedWt[grp], Gemm.stored(floats(dy), yOff, false, g.groupOut, g.positions()),
                                    ((FloatStorage) cols).data(), 0, g.rows(), g.groupOut, g.positions());
                            for (int c = 0, plane = g.height * g.width; c < g.groupIn; c++) {
                                Gather.scatterAddRuns(((FloatStorage) cols).data(), c * g.table.length, g.table, g.runs,
                                        floats(dx), g.inputOffset(n, grp) + c * plane);
                            }
                        } else if (dx != null) {
                            k.matmul(w.storage(), wOff, true, dy.storage(), yOff, false, cols, 0, g.rows(), g.groupOut, g.positions());
                            col2im(cols, g, dx.storage(), g.inputOffset(n, grp));
                        }
                    }
                }
                if (dwSum != null) {
                    dwParts[chunk / CHUNK] = dwSum;
                }
            }
        });
        if (dw != null) {
            for (Storage part : dwParts) {
                addInto(part, dw.storage(), 0);
            }
        }
        Tensor db = null;
        if (b != null && b.requiresGrad()) {
            db = dy.reshape(g.n, g.outChannels, g.positions()).sum(2, false).sum(0, false);
        }
        return b == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
    }

    /** {@code dst[at + i] += src[i]} for every element of {@code src}. */
    private static void addInto(Storage src, Storage dst, int at) {
        if (src instanceof FloatStorage(float[] s) && dst instanceof FloatStorage(float[] d)) {
            for (int i = 0; i < s.length; i++) {
                d[at + i] += s[i];
            }
        } else {
            for (int i = 0; i < src.size(); i++) {
                dst.set(at + i, dst.get(at + i) + src.get(i));
            }
        }
    }

    private static void addBias(Storage y, int n, Storage b, Geometry g) {
        int l = g.positions();
        for (int o = 0; o < g.outChannels; o++) {
            int at = (n * g.outChannels + o) * l;
            double bias = b.get(o);
            if (y instanceof FloatStorage(float[] f)) {
                float fb = (float) bias;
                for (int p = at; p < at + l; p++) {
                    f[p] += fb;
                }
            } else {
                for (int p = at; p < at + l; p++) {
                    y.set(p, y.get(p) + bias);
                }
            }
        }
    }

    /**
     * Each group's weight {@code W_g [O/G, C/G·kH·kW]} packed once for all the examples of a call
     * ({@link Gemm#packA}): as {@code W_g} for the forward product, {@code transposed} as
     * {@code W_gᵀ} for {@code ∂X_col = W_gᵀ·∂Y_g}.
     */
    private static float[][] packedWeights(Tensor w, Geometry g, boolean transposed) {
        float[][] packed = new float[g.inChannels / g.groupIn][];
        for (int grp = 0; grp < packed.length; grp++) {
            int wOff = grp * g.groupOut * g.rows();
            packed[grp] = transposed ? Gemm.packA(floats(w), wOff, true, g.rows(), g.groupOut)
                    : Gemm.packA(floats(w), wOff, false, g.groupOut, g.rows());
        }
        return packed;
    }

    /** Whether the products read {@code X_col} through {@link #patches}: float tensors and the built-in {@link Gemm}. */
    private static boolean fusedPacking(Tensor x) {
        return x.storage() instanceof FloatStorage && MatmulBackends.SELECTED == MatmulBackends.JAVA;
    }

    private static float[] floats(Tensor t) {
        return ((FloatStorage) t.storage()).data();
    }

    /**
     * Packs the group's {@code X_col [C/G·kH·kW, L]} from {@code x[xOff]} straight into
     * {@link Gemm}'s strips, where {@code X_col[r, q] = x[xOff + ⌊r / (kH·kW)⌋·H·W + table[(r mod kH·kW)·L + q]]}
     * (0 where the table has −1, the padding): as {@code op(B) = X_col} (k = rows, n = positions)
     * for {@code W_g·X_col}, or, {@code transposed}, as {@code op(B) = X_colᵀ} (k = positions,
     * n = rows) for {@code ∂Y_g·X_colᵀ}. The strips hold what {@link #im2col} and the packing of
     * the stored matrix would put there.
     */
    private static Gemm.PanelPacker patches(float[] x, int xOff, Geometry g, boolean transposed) {
        int[] table = g.table, runs = g.runs;
        int plane = g.height * g.width, area = g.area, positions = g.positions();
        if (!transposed) { // row p of the block is X_col's row p0 + p: one kernel tap of one channel
            return (p0, kc, j0, nc, dst, at) -> {
                for (int s = 0; s * Gemm.NR < nc; s++) {
                    int base = at + s * Gemm.NR * kc, cols = Math.min(Gemm.NR, nc - s * Gemm.NR), first = j0 + s * Gemm.NR;
                    for (int p = 0; p < kc; p++) {
                        int r = p0 + p, src = xOff + (r / area) * plane, row = (r % area) * positions + first;
                        int d = base + p * Gemm.NR;
                        for (int col = 0, len; col < cols; col += len) { // a run of the table at a time
                            int t = table[row + col];
                            len = Math.min(runs[row + col], cols - col);
                            if (t < 0) {
                                Arrays.fill(dst, d + col, d + col + len, 0f);
                            } else {
                                System.arraycopy(x, src + t, dst, d + col, len);
                            }
                        }
                        Arrays.fill(dst, d + cols, d + Gemm.NR, 0f);
                    }
                }
            };
        }
        int[] rowOffsets = g.rowOffsets;
        return (p0, kc, j0, nc, dst, at) -> { // column col of a strip is X_col's row j0 + col, read along the positions
            for (int s = 0; s * Gemm.NR < nc; s++) {
                int base = at + s * Gemm.NR * kc, cols = Math.min(Gemm.NR, nc - s * Gemm.NR), first = j0 + s * Gemm.NR;
                if (rowOffsets != null && cols == Gemm.NR) { // no padding: each p is two gathers, stored in order
                    for (int p = 0; p < kc; p++) {
                        int from = xOff + table[p0 + p], d = base + p * Gemm.NR;
                        FloatVector.fromArray(S, x, from, rowOffsets, first).intoArray(dst, d);
                        FloatVector.fromArray(S, x, from, rowOffsets, first + S.length()).intoArray(dst, d + S.length());
                    }
                    continue;
                }
                for (int col = 0; col < Gemm.NR; col++) {
                    if (col < cols) {
                        int r = first + col, src = xOff + (r / area) * plane, row = (r % area) * positions + p0;
                        for (int p = 0, len; p < kc; p += len) {
                            int t = table[row + p];
                            len = Math.min(runs[row + p], kc - p);
                            for (int q = p, from = src + t - p; q < p + len; q++) {
                                dst[base + q * Gemm.NR + col] = t < 0 ? 0f : x[from + q];
                            }
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * Gemm.NR + col] = 0f;
                        }
                    }
                }
            }
        };
    }

    /** Fills {@code cols [C/G·kH·kW, L]} with the group's input channels starting at {@code xOff}. */
    private static void im2col(Storage x, int xOff, Geometry g, Storage cols) {
        int[] table = g.table;
        int plane = g.height * g.width;
        for (int c = 0; c < g.groupIn; c++) {
            Gather.gather(x, xOff + c * plane, table, cols, c * table.length);
        }
    }

    /** Adds {@code cols [C/G·kH·kW, L]} back onto the input channels starting at {@code xOff} (the adjoint of im2col). */
    private static void col2im(Storage cols, Geometry g, Storage dx, int xOff) {
        int[] table = g.table;
        int plane = g.height * g.width;
        for (int c = 0; c < g.groupIn; c++) {
            Gather.scatterAdd(cols, c * table.length, table, dx, xOff + c * plane);
        }
    }

    /** Sizes of one convolution and its im2col table. */
    private static final class Geometry {
        final int n, inChannels, height, width, outChannels, groupIn, groupOut, outH, outW, area;
        final int[] table, runs;
        /**
         * Without padding, {@code X_col[r, q] = x[table[q] + rowOffsets[r]]} (relative to the
         * group's first channel): a position's index plus a row's (channel and tap) offset; null
         * where the table does not split so (padding).
         */
        final int[] rowOffsets;

        private Geometry(int[] xd, int outChannels, int groups, Window window) {
            this.n = xd[0];
            this.inChannels = xd[1];
            this.height = xd[2];
            this.width = xd[3];
            this.outChannels = outChannels;
            this.groupIn = inChannels / groups;
            this.groupOut = outChannels / groups;
            this.outH = window.outHeight(height);
            this.outW = window.outWidth(width);
            this.area = window.area();
            this.table = window.columnIndex(height, width);
            this.runs = Gather.runs(table, outH * outW);
            this.rowOffsets = rowOffsets(table, outH * outW, area, groupIn, height * width);
        }

        /** {@link #rowOffsets} of a table, or null when some entry is not its position's index plus its tap's offset. */
        private static int[] rowOffsets(int[] table, int positions, int area, int channels, int plane) {
            int[] offsets = new int[channels * area];
            for (int tap = 0; tap < area; tap++) {
                int tapOffset = table[tap * positions] - table[0];
                for (int q = 0; q < positions; q++) {
                    if (table[q] < 0 || table[tap * positions + q] != table[q] + tapOffset) {
                        return null;
                    }
                }
                for (int c = 0; c < channels; c++) {
                    offsets[c * area + tap] = c * plane + tapOffset;
                }
            }
            return offsets;
        }

        static Geometry of(Tensor x, Tensor w, Tensor b, Window window, int groups) {
            if (x.rank() != 4 || w.rank() != 4) {
                throw new IllegalArgumentException("conv2d wants input [N, C, H, W] and weight [O, C/groups, kH, kW], got "
                        + x.shape() + " and " + w.shape());
            }
            if (x.dtype() != w.dtype() || (b != null && b.dtype() != x.dtype())) {
                throw new IllegalArgumentException("conv2d: input, weight and bias must have the same dtype");
            }
            int c = x.dim(1), o = w.dim(0);
            if (groups < 1 || c % groups != 0 || o % groups != 0 || w.dim(1) != c / groups) {
                throw new IllegalArgumentException("conv2d: input has " + c + " channels, weight " + w.shape()
                        + " and " + groups + " groups do not fit (want weight [O, " + (groups < 1 ? "?" : c / groups)
                        + ", kH, kW] with O and C divisible by groups)");
            }
            if (w.dim(2) != window.kernelH() || w.dim(3) != window.kernelW()) {
                throw new IllegalArgumentException("conv2d: weight " + w.shape() + " does not match the window's kernel "
                        + window.kernelH() + "x" + window.kernelW());
            }
            if (b != null && (b.rank() != 1 || b.dim(0) != o)) {
                throw new IllegalArgumentException("conv2d: bias shape " + b.shape() + " should be [" + o + "]");
            }
            if (window.outHeight(x.dim(2)) < 1 || window.outWidth(x.dim(3)) < 1) {
                throw new IllegalArgumentException("conv2d: a " + window.kernelH() + "x" + window.kernelW()
                        + " kernel does not fit an input of " + x.dim(2) + "x" + x.dim(3));
            }
            return new Geometry(x.dims(), o, groups, window);
        }

        int positions() {
            return outH * outW;
        }

        int rows() {
            return groupIn * area;
        }

        int colSize() {
            return rows() * positions();
        }

        int inputOffset(int sample, int group) {
            return (sample * inChannels + group * groupIn) * height * width;
        }

        int outputOffset(int sample, int group) {
            return (sample * outChannels + group * groupOut) * positions();
        }
    }
}
