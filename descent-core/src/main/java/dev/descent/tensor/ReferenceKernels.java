package dev.descent.tensor;

/**
 * Plain loops in double precision, written to be read next to the formulas. They compute
 * all {@link DType#FLOAT64} tensors (the gradient-check path) and are the oracle the fast
 * float kernels are tested against. They work on either element type through
 * {@link Storage#get} and {@link Storage#set}.
 */
public class ReferenceKernels implements Kernels {

    @Override
    public void unary(UnaryOp op, double alpha, Storage x, Storage out) {
        for (int i = 0, n = x.size(); i < n; i++) {
            out.set(i, op.apply(x.get(i), alpha));
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Storage x, Storage y, Storage grad, Storage out) {
        for (int i = 0, n = x.size(); i < n; i++) {
            out.set(i, grad.get(i) * op.derivative(x.get(i), y.get(i), alpha));
        }
    }

    @Override
    public void biasRelu(Storage y, Storage b, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                y.set(i, Math.max(y.get(i) + (b == null ? 0 : b.get(c)), 0));
            }
        }
    }

    @Override
    public void biasReluBackward(Storage y, Storage g, Storage gz, Storage gb, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double d = y.get(i) > 0 ? g.get(i) : 0;
                gz.set(i, d);
                if (gb != null) {
                    gb.set(c, gb.get(c) + d);
                }
            }
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
        if (aShape.equals(bShape)) {
            for (int i = 0, n = outShape.size(); i < n; i++) {
                out.set(i, op.apply(a.get(i), b.get(i)));
            }
            return;
        }
        Odometer at = new Odometer(outShape.dims(), 0, aShape.broadcastStrides(outShape), 0, bShape.broadcastStrides(outShape));
        for (int o = 0, n = outShape.size(); o < n; o++, at.next()) {
            out.set(o, op.apply(a.get(at.a()), b.get(at.b())));
        }
    }

    @Override
    public void reduce(ReduceOp op, Storage x, int outer, int n, int inner, Storage out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double result = switch (op) {
                    case SUM -> {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += x.get(base + j * inner);
                        }
                        yield s;
                    }
                    case MAX -> max(x, base, n, inner);
                    case LOG_SUM_EXP -> {
                        double m = max(x, base, n, inner);
                        if (Double.isInfinite(m)) {
                            yield m;
                        }
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += Math.exp(x.get(base + j * inner) - m);
                        }
                        yield m + Math.log(s);
                    }
                };
                out.set(o * inner + i, result);
            }
        }
    }

    private static double max(Storage x, int base, int n, int inner) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double v = x.get(base + j * inner);
            if (v > m || Double.isNaN(v)) {
                m = v;
            }
        }
        return m;
    }

    @Override
    public void argmax(Storage x, int outer, int n, int inner, int[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i, best = 0;
                double m = x.get(base);
                for (int j = 1; j < n; j++) {
                    double v = x.get(base + j * inner);
                    if (v > m) {
                        m = v;
                        best = j;
                    }
                }
                out[o * inner + i] = best;
            }
        }
    }

    @Override
    public void softmax(Storage x, int outer, int n, int inner, boolean log, Storage out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = max(x, base, n, inner), s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(x.get(base + j * inner) - m);
                }
                double logS = Math.log(s);
                for (int j = 0; j < n; j++) {
                    int at = base + j * inner;
                    double shifted = x.get(at) - m;
                    out.set(at, log ? shifted - logS : Math.exp(shifted) / s);
                }
            }
        }
    }

    @Override
    public void matmul(Storage a, int aOffset, boolean transA, Storage b, int bOffset, boolean transB,
                       Storage c, int cOffset, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = a.get(aOffset + (transA ? p * m + i : i * k + p));
                    double bv = b.get(bOffset + (transB ? j * k + p : p * n + j));
                    s += av * bv;
                }
                c.set(cOffset + i * n + j, s);
            }
        }
    }

    @Override
    public void copy(Storage src, int srcOffset, int[] srcStrides, Storage dst, int dstOffset, int[] dstStrides, int[] dims) {
        int total = 1;
        for (int d : dims) {
            total *= d;
        }
        if (total == 0) {
            return;
        }
        Odometer at = new Odometer(dims, srcOffset, srcStrides, dstOffset, dstStrides);
        for (int e = 0; e < total; e++, at.next()) {
            dst.set(at.b(), src.get(at.a()));
        }
    }

    @Override
    public void scaleInPlace(Storage x, double alpha) {
        for (int i = 0; i < x.size(); i++) {
            x.set(i, alpha * x.get(i));
        }
    }

    @Override
    public boolean fusedAdam(Storage g, Storage m, Storage v, double b1, double b2, double c1, double c2, double eps,
                             double epsRoot) {
        return false;
    }
}
