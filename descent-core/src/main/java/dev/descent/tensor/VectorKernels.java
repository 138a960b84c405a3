package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float kernels with the Vector API (SIMD) and the {@link Parallel} pool for the loops that
 * dominate training: the matrix product, same-shape and row-broadcast arithmetic, ReLU and
 * column sums. Everything else, and every non-float buffer, falls through to the
 * {@link ReferenceKernels} it extends. Tests compare each override with the reference.
 */
final class VectorKernels extends ReferenceKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output rows per matmul register block. */
    private static final int ROWS = 4;
    /** Minimum multiply-adds in a parallel matmul chunk, so tiny products stay on one thread. */
    private static final int MATMUL_GRAIN_FLOPS = 1 << 16;

    static String describe() {
        return S.vectorBitSize() + "-bit, " + L + " floats";
    }

    private static float[] f(Storage s) {
        return ((FloatStorage) s).data();
    }

    private static boolean floats(Storage... all) {
        for (Storage s : all) {
            if (!(s instanceof FloatStorage)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- matrix product

    @Override
    public void matmul(Storage a, int aOffset, boolean transA, Storage b, int bOffset, boolean transB,
                       Storage c, int cOffset, int m, int k, int n) {
        if (!floats(a, b, c)) {
            super.matmul(a, aOffset, transA, b, bOffset, transB, c, cOffset, m, k, n);
            return;
        }
        float[] A = f(a), B = f(b), C = f(c);
        int aOff = aOffset, bOff = bOffset;
        if (transA) {
            A = transpose(A, aOffset, k, m);
            aOff = 0;
        }
        if (transB) {
            B = transpose(B, bOffset, n, k);
            bOff = 0;
        }
        gemm(A, aOff, B, bOff, C, cOffset, m, k, n);
    }

    /** The {@code cols×rows} transpose of the {@code rows×cols} matrix at {@code offset}. */
    private static float[] transpose(float[] x, int offset, int rows, int cols) {
        float[] t = new float[rows * cols];
        final int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block) {
            for (int c0 = 0; c0 < cols; c0 += block) {
                for (int r = r0, re = Math.min(rows, r0 + block); r < re; r++) {
                    for (int c = c0, ce = Math.min(cols, c0 + block); c < ce; c++) {
                        t[c * rows + r] = x[offset + r * cols + c];
                    }
                }
            }
        }
        return t;
    }

    /** {@code C = A·B} for row-major {@code A (m×k)}, {@code B (k×n)}, split over row blocks. */
    private static void gemm(float[] A, int aOff, float[] B, int bOff, float[] C, int cOff, int m, int k, int n) {
        int blocks = (m + ROWS - 1) / ROWS;
        long flopsPerBlock = (long) ROWS * k * n;
        int grain = (int) Math.max(1, Math.min(blocks, MATMUL_GRAIN_FLOPS / Math.max(1, flopsPerBlock)));
        Parallel.forRange(blocks, grain, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int i0 = blk * ROWS;
                if (i0 + ROWS <= m) {
                    rows4(A, aOff, B, bOff, C, cOff, i0, k, n);
                } else {
                    for (int i = i0; i < m; i++) {
                        row1(A, aOff, B, bOff, C, cOff, i, k, n, 0);
                    }
                }
            }
        });
    }

    /** Rows {@code i0..i0+3} of C: a 4×(2L) register block of fused multiply-adds per step of k. */
    private static void rows4(float[] A, int aOff, float[] B, int bOff, float[] C, int cOff, int i0, int k, int n) {
        int a0 = aOff + i0 * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
            FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
            FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
            FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
            int bp = bOff + j;
            for (int p = 0; p < k; p++, bp += n) {
                FloatVector b0 = FloatVector.fromArray(S, B, bp);
                FloatVector b1 = FloatVector.fromArray(S, B, bp + L);
                FloatVector x = FloatVector.broadcast(S, A[a0 + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, A[a1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, A[a2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, A[a3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
            }
            int c0 = cOff + i0 * n + j;
            c00.intoArray(C, c0);
            c01.intoArray(C, c0 + L);
            c10.intoArray(C, c0 + n);
            c11.intoArray(C, c0 + n + L);
            c20.intoArray(C, c0 + 2 * n);
            c21.intoArray(C, c0 + 2 * n + L);
            c30.intoArray(C, c0 + 3 * n);
            c31.intoArray(C, c0 + 3 * n + L);
        }
        if (j < n) {
            for (int i = i0; i < i0 + ROWS; i++) {
                row1(A, aOff, B, bOff, C, cOff, i, k, n, j);
            }
        }
    }

    /** Columns {@code from..n-1} of row {@code i} of C, one vector at a time, then scalars. */
    private static void row1(float[] A, int aOff, float[] B, int bOff, float[] C, int cOff, int i, int k, int n, int from) {
        int ai = aOff + i * k, ci = cOff + i * n;
        int j = from;
        for (; j + L <= n; j += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0, bp = bOff + j; p < k; p++, bp += n) {
                acc = FloatVector.broadcast(S, A[ai + p]).fma(FloatVector.fromArray(S, B, bp), acc);
            }
            acc.intoArray(C, ci + j);
        }
        for (; j < n; j++) {
            float s = 0;
            for (int p = 0, bp = bOff + j; p < k; p++, bp += n) {
                s = Math.fma(A[ai + p], B[bp], s);
            }
            C[ci + j] = s;
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double alpha, Storage x, Storage out) {
        if (op != UnaryOp.RELU || !floats(x, out)) {
            super.unary(op, alpha, x, out);
            return;
        }
        float[] in = f(x), o = f(out);
        int i = 0, bound = S.loopBound(in.length);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, in, i).max(0f).intoArray(o, i);
        }
        for (; i < in.length; i++) {
            o[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Storage x, Storage y, Storage grad, Storage out) {
        if (op != UnaryOp.RELU || !floats(x, grad, out)) {
            super.unaryBackward(op, alpha, x, y, grad, out);
            return;
        }
        float[] in = f(x), g = f(grad), o = f(out);
        int i = 0, bound = S.loopBound(in.length);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, in, i);
            FloatVector.fromArray(S, g, i).blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, i);
        }
        for (; i < in.length; i++) {
            o[i] = in[i] > 0 ? g[i] : 0f;
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
        VectorOperators.Binary vop = switch (op) {
            case ADD -> VectorOperators.ADD;
            case SUB -> VectorOperators.SUB;
            case MUL -> VectorOperators.MUL;
            case DIV -> VectorOperators.DIV;
            default -> null;
        };
        int period = bShape.size();
        boolean rowBroadcast = aShape.equals(outShape) && period > 0 && isSuffix(bShape, outShape);
        if (vop == null || !floats(a, b, out) || !rowBroadcast) {
            super.binary(op, a, aShape, b, bShape, out, outShape);
            return;
        }
        float[] x = f(a), y = f(b), o = f(out);
        if (period == 1) {
            FloatVector s = FloatVector.broadcast(S, y[0]);
            int i = 0, bound = S.loopBound(x.length);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, x, i).lanewise(vop, s).intoArray(o, i);
            }
            for (; i < x.length; i++) {
                o[i] = (float) op.apply(x[i], y[0]);
            }
            return;
        }
        int bound = S.loopBound(period);
        for (int row = 0; row < x.length; row += period) {
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, x, row + j).lanewise(vop, FloatVector.fromArray(S, y, j)).intoArray(o, row + j);
            }
            for (; j < period; j++) {
                o[row + j] = (float) op.apply(x[row + j], y[j]);
            }
        }
    }

    /** Whether {@code b}, without leading 1s, equals the trailing dimensions of {@code out}. */
    private static boolean isSuffix(Shape b, Shape out) {
        int[] bd = b.dims(), od = out.dims();
        int start = 0;
        while (start < bd.length && bd[start] == 1) {
            start++;
        }
        int len = bd.length - start;
        if (len > od.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (bd[start + i] != od[od.length - len + i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- reductions and copies

    @Override
    public void reduce(ReduceOp op, Storage x, int outer, int n, int inner, Storage out) {
        if (op != ReduceOp.SUM || inner < L || !floats(x, out)) {
            super.reduce(op, x, outer, n, inner, out);
            return;
        }
        float[] in = f(x), o = f(out);
        int bound = S.loopBound(inner);
        for (int q = 0; q < outer; q++) {
            int base = q * n * inner, ob = q * inner;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < n; j++) {
                    acc = acc.add(FloatVector.fromArray(S, in, base + j * inner + i));
                }
                acc.intoArray(o, ob + i);
            }
            for (; i < inner; i++) {
                float s = 0;
                for (int j = 0; j < n; j++) {
                    s += in[base + j * inner + i];
                }
                o[ob + i] = s;
            }
        }
    }

    @Override
    public void copy(Storage src, int srcOffset, int[] srcStrides, Storage dst, int dstOffset, int[] dstStrides, int[] dims) {
        int last = dims.length - 1;
        if (last < 0 || srcStrides[last] != 1 || dstStrides[last] != 1 || !floats(src, dst)) {
            super.copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, dims);
            return;
        }
        float[] s = f(src), d = f(dst);
        int run = dims[last], rows = 1;
        for (int i = 0; i < last; i++) {
            rows *= dims[i];
        }
        if (run == 0) {
            return;
        }
        Odometer at = new Odometer(java.util.Arrays.copyOf(dims, last), srcOffset, srcStrides, dstOffset, dstStrides);
        for (int r = 0; r < rows; r++, at.next()) {
            System.arraycopy(s, at.a(), d, at.b(), run);
        }
    }
}
