package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float kernels with the Vector API (SIMD) and the {@link Parallel} pool for the loops that
 * dominate training: the matrix product, same-shape and row-broadcast arithmetic, ReLU and
 * column sums. Everything else, and every non-float buffer, falls through to the
 * {@link ReferenceKernels} it extends. Tests compare each override with the reference.
 *
 * <p>The element-wise passes over large buffers (ReLU and its gradient, arithmetic, scaling,
 * Adam) and the sums of many rows are split over the {@link Parallel} pool in chunks of {@link #GRAIN} floats, a multiple
 * of the vector length: every element is computed by the same instructions as in one pass, so
 * the results do not depend on the thread count. On two threads these passes were 14% (CNN)
 * and 22% (the wide MLP) of the samples, all on the calling thread, while the other core idled.
 */
final class VectorKernels extends ReferenceKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static String describe() {
        return S.vectorBitSize() + "-bit, " + L + " floats";
    }

    /** Floats per chunk of a parallel element-wise pass (128 KB); shorter buffers run on the calling thread. */
    static final int GRAIN = 1 << 15;

    /** Runs {@code body} over {@code [0, length)} in chunks of {@link #GRAIN} elements, in parallel where there are several. */
    private static void elementwise(int length, Parallel.RangeBody body) {
        Parallel.forRange(length, GRAIN, body);
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
        MatmulBackends.SELECTED.multiply(f(a), aOffset, transA, f(b), bOffset, transB, f(c), cOffset, m, k, n);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double alpha, Storage x, Storage out) {
        if (op != UnaryOp.RELU || !floats(x, out)) {
            super.unary(op, alpha, x, out);
            return;
        }
        float[] in = f(x), o = f(out);
        elementwise(in.length, (from, to) -> {
            int i = from, bound = from + S.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, in, i).max(0f).intoArray(o, i);
            }
            for (; i < to; i++) {
                o[i] = Math.max(in[i], 0f);
            }
        });
    }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Storage x, Storage y, Storage grad, Storage out) {
        if (op != UnaryOp.RELU || !floats(x, grad, out)) {
            super.unaryBackward(op, alpha, x, y, grad, out);
            return;
        }
        float[] in = f(x), g = f(grad), o = f(out);
        elementwise(in.length, (from, to) -> {
            int i = from, bound = from + S.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, in, i);
                FloatVector.fromArray(S, g, i).blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, i);
            }
            for (; i < to; i++) {
                o[i] = in[i] > 0 ? g[i] : 0f;
            }
        });
    }

    @Override
    public void biasRelu(Storage y, Storage b, int rows, int cols) {
        if (!floats(y) || (b != null && !floats(b))) {
            super.biasRelu(y, b, rows, cols);
            return;
        }
        float[] o = f(y), bias = b == null ? null : f(b);
        int bound = S.loopBound(cols);
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (first, last) -> {
            for (int base = first * cols; base < last * cols; base += cols) {
                int c = 0;
                for (; c < bound; c += L) {
                    FloatVector v = FloatVector.fromArray(S, o, base + c);
                    if (bias != null) {
                        v = v.add(FloatVector.fromArray(S, bias, c));
                    }
                    v.max(0f).intoArray(o, base + c);
                }
                for (; c < cols; c++) {
                    o[base + c] = Math.max(o[base + c] + (bias == null ? 0f : bias[c]), 0f);
                }
            }
        });
    }

    @Override
    public void biasReluBackward(Storage y, Storage g, Storage gz, Storage gb, int rows, int cols) {
        if (!floats(y, g, gz) || (gb != null && !floats(gb))) {
            super.biasReluBackward(y, g, gz, gb, rows, cols);
            return;
        }
        float[] out = f(y), grad = f(g), z = f(gz), sums = gb == null ? null : f(gb);
        int bound = S.loopBound(cols);
        for (int base = 0; base < rows * cols; base += cols) {
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector v = FloatVector.fromArray(S, grad, base + c)
                        .blend(0f, FloatVector.fromArray(S, out, base + c).compare(VectorOperators.LE, 0f));
                v.intoArray(z, base + c);
                if (sums != null) {
                    FloatVector.fromArray(S, sums, c).add(v).intoArray(sums, c);
                }
            }
            for (; c < cols; c++) {
                float d = out[base + c] > 0 ? grad[base + c] : 0f;
                z[base + c] = d;
                if (sums != null) {
                    sums[c] += d;
                }
            }
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
        boolean arithmetic = op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
        int period = bShape.size();
        boolean rowBroadcast = aShape.equals(outShape) && period > 0 && isSuffix(bShape, outShape);
        if (!arithmetic || !floats(a, b, out) || !rowBroadcast) {
            super.binary(op, a, aShape, b, bShape, out, outShape);
            return;
        }
        float[] x = f(a), y = f(b), o = f(out);
        if (period == 1) {
            FloatVector s = FloatVector.broadcast(S, y[0]);
            elementwise(x.length, (from, to) -> {
                int i = from, bound = from + S.loopBound(to - from);
                for (; i < bound; i += L) {
                    apply(op, FloatVector.fromArray(S, x, i), s).intoArray(o, i);
                }
                for (; i < to; i++) {
                    o[i] = (float) op.apply(x[i], y[0]);
                }
            });
            return;
        }
        int bound = S.loopBound(period);
        Parallel.forRange(x.length / period, Math.max(1, GRAIN / period), (first, last) -> {
            for (int row = first * period; row < last * period; row += period) {
                int j = 0;
                for (; j < bound; j += L) {
                    apply(op, FloatVector.fromArray(S, x, row + j), FloatVector.fromArray(S, y, j)).intoArray(o, row + j);
                }
                for (; j < period; j++) {
                    o[row + j] = (float) op.apply(x[row + j], y[j]);
                }
            }
        });
    }

    /**
     * {@code u op v} lane by lane. Each branch names its operator as a constant: C2 compiles
     * {@code lanewise} to one instruction only when the operator is a constant, and otherwise
     * falls back to a per-lane Java loop about 50 times slower.
     */
    private static FloatVector apply(BinaryOp op, FloatVector u, FloatVector v) {
        return switch (op) {
            case ADD -> u.add(v);
            case SUB -> u.sub(v);
            case MUL -> u.mul(v);
            case DIV -> u.div(v);
            default -> throw new IllegalArgumentException("no vector form for " + op);
        };
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
        if (op != ReduceOp.SUM || !floats(x, out) || (inner > 1 && inner < L)) {
            super.reduce(op, x, outer, n, inner, out);
            return;
        }
        float[] in = f(x), o = f(out);
        if (inner == 1) { // sums of contiguous rows: lane-wise partial sums, then the lanes in order
            // (reduceLanes leaves the order open, and it changed with the JIT tier in ThreadCountTest)
            int bound = S.loopBound(n);
            Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, n)), (first, last) -> { // rows in parallel
                float[] lanes = new float[L];
                for (int q = first; q < last; q++) {
                    int base = q * n, j = 0;
                    FloatVector acc = FloatVector.zero(S);
                    for (; j < bound; j += L) {
                        acc = acc.add(FloatVector.fromArray(S, in, base + j));
                    }
                    acc.intoArray(lanes, 0);
                    float s = 0;
                    for (float lane : lanes) {
                        s += lane;
                    }
                    for (; j < n; j++) {
                        s += in[base + j];
                    }
                    o[q] = s;
                }
            });
            return;
        }
        // Column sums, rows in order: o[i] = 0 + x[0, i] + x[1, i] + …, walking each row once (walking
        // down the columns instead reads lines a power-of-two row length maps to one cache set).
        int bound = S.loopBound(inner);
        for (int q = 0; q < outer; q++) {
            int base = q * n * inner, ob = q * inner;
            java.util.Arrays.fill(o, ob, ob + inner, 0f);
            for (int j = 0; j < n; j++) {
                int row = base + j * inner, i = 0;
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, o, ob + i).add(FloatVector.fromArray(S, in, row + i)).intoArray(o, ob + i);
                }
                for (; i < inner; i++) {
                    o[ob + i] += in[row + i];
                }
            }
        }
    }

    @Override
    public void copy(Storage src, int srcOffset, int[] srcStrides, Storage dst, int dstOffset, int[] dstStrides, int[] dims) {
        int last = dims.length - 1;
        if (last < 0 || dstStrides[last] != 1 || !floats(src, dst)) {
            super.copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, dims);
            return;
        }
        float[] s = f(src), d = f(dst);
        int run = dims[last], rows = 1, step = srcStrides[last];
        for (int i = 0; i < last; i++) {
            rows *= dims[i];
        }
        if (run == 0) {
            return;
        }
        Odometer at = new Odometer(java.util.Arrays.copyOf(dims, last), srcOffset, srcStrides, dstOffset, dstStrides);
        for (int r = 0; r < rows; r++, at.next()) {
            if (step == 1) {
                System.arraycopy(s, at.a(), d, at.b(), run);
            } else { // a transpose: gather along the source's stride
                for (int i = 0, from = at.a(), to = at.b(); i < run; i++, from += step) {
                    d[to + i] = s[from];
                }
            }
        }
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void scaleInPlace(Storage x, double alpha) {
        if (!floats(x)) {
            super.scaleInPlace(x, alpha);
            return;
        }
        float[] d = f(x);
        float a = (float) alpha;
        elementwise(d.length, (from, to) -> {
            int i = from, bound = from + S.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, d, i).mul(a).intoArray(d, i);
            }
            for (; i < to; i++) {
                d[i] *= a;
            }
        });
    }

    @Override
    public boolean fusedAdam(Storage g, Storage m, Storage v, double b1, double b2, double c1, double c2, double eps,
                             double epsRoot) {
        if (!floats(g, m, v)) {
            return false;
        }
        float[] gs = f(g), ms = f(m), vs = f(v);
        float fb1 = (float) b1, fb2 = (float) b2, gb1 = (float) (1 - b1), gb2 = (float) (1 - b2);
        float inv1 = (float) (1 / c1), inv2 = (float) (1 / c2), e = (float) eps, er = (float) epsRoot;
        elementwise(gs.length, (from, to) -> {
            int i = from, bound = from + S.loopBound(to - from);
            for (; i < bound; i += L) {
                FloatVector grad = FloatVector.fromArray(S, gs, i);
                FloatVector mi = FloatVector.fromArray(S, ms, i).mul(fb1).add(grad.mul(gb1));
                FloatVector vi = FloatVector.fromArray(S, vs, i).mul(fb2).add(grad.mul(grad).mul(gb2));
                mi.intoArray(ms, i);
                vi.intoArray(vs, i);
                mi.mul(inv1).div(vi.mul(inv2).add(er).sqrt().add(e)).intoArray(gs, i);
            }
            for (; i < to; i++) {
                float grad = gs[i];
                ms[i] = fb1 * ms[i] + gb1 * grad;
                vs[i] = fb2 * vs[i] + gb2 * grad * grad;
                gs[i] = (ms[i] * inv1) / ((float) Math.sqrt(vs[i] * inv2 + er) + e);
            }
        });
        return true;
    }
}
