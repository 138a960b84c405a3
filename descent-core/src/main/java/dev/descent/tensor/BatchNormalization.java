package dev.descent.tensor;


/**
 * Batch normalization of {@code x [N, C, ...]} per channel (axis 1), over the batch and every
 * axis after the channel (M values per channel):
 * <pre>
 *   x̂ = (x − μ_c) / √(σ²_c + ε),    y = γ_c·x̂ + β_c
 * </pre>
 * With batch statistics, {@code μ_c} and {@code σ²_c} are the mean and the biased variance of
 * the batch and the backward pass is
 * {@code ∂x = (γ_c / (M·√(σ²_c + ε)))·(M·∂y − Σ∂y − x̂·Σ(∂y·x̂))}; with given (running)
 * statistics they are constants and {@code ∂x = γ_c·∂y / √(σ²_c + ε)}. In both cases
 * {@code ∂γ_c = Σ ∂y·x̂} and {@code ∂β_c = Σ ∂y}. {@code γ} and {@code β} may be null (no affine part).
 */
public final class BatchNormalization {
    private BatchNormalization() {
    }

    /**
     * Normalizes {@code x}. When {@code batchStatistics}, {@code mean} and {@code variance}
     * (length C) are written with the batch mean and biased variance; otherwise they are read
     * as the statistics to use.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, double[] mean, double[] variance,
                                   double eps, boolean batchStatistics) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batch norm wants input [N, C, ...], got " + x.shape());
        }
        int n = x.dim(0), c = x.dim(1), inner = x.size() / Math.max(1, n * c);
        if (mean.length != c || variance.length != c || (gamma != null && gamma.size() != c) || (beta != null && beta.size() != c)) {
            throw new IllegalArgumentException("batch norm over " + c + " channels (input " + x.shape()
                    + ") got statistics or affine parameters of another size");
        }
        Storage in = x.storage();
        if (batchStatistics) {
            long m = (long) n * inner;
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int at = (s * c + ch) * inner;
                    for (int i = at; i < at + inner; i++) {
                        sum += in.get(i);
                    }
                }
                double mu = sum / m, sq = 0;
                for (int s = 0; s < n; s++) {
                    int at = (s * c + ch) * inner;
                    for (int i = at; i < at + inner; i++) {
                        double d = in.get(i) - mu;
                        sq += d * d;
                    }
                }
                mean[ch] = mu;
                variance[ch] = sq / m;
            }
        }
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = 1 / Math.sqrt(variance[ch] + eps);
        }
        Tensor xhat = Tensor.zeros(x.dtype(), x.shape()), y = Tensor.zeros(x.dtype(), x.shape());
        Storage h = xhat.storage(), out = y.storage();
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                double g = gamma == null ? 1 : gamma.storage().get(ch), b = beta == null ? 0 : beta.storage().get(ch);
                double mu = mean[ch], is = invStd[ch];
                int at = (s * c + ch) * inner;
                for (int i = at; i < at + inner; i++) {
                    double v = (in.get(i) - mu) * is;
                    h.set(i, v);
                    out.set(i, g * v + b);
                }
            }
        }
        if (Autograd.shouldRecord(x, gamma, beta)) {
            y.record(new Op.BatchNorm(x, gamma, beta, xhat, invStd, batchStatistics));
        }
        return y;
    }

    /** Gradients of {@code x}, {@code gamma} and {@code beta} (null where not needed or absent). */
    public static Tensor[] backward(Tensor x, Tensor gamma, Tensor beta, Tensor xhat, double[] invStd,
                                    boolean batchStatistics, Tensor dy) {
        int n = x.dim(0), c = x.dim(1), inner = x.size() / Math.max(1, n * c);
        long m = (long) n * inner;
        double[] sumG = new double[c], sumGx = new double[c];
        Storage g = dy.storage(), h = xhat.storage();
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int at = (s * c + ch) * inner;
                for (int i = at; i < at + inner; i++) {
                    sumG[ch] += g.get(i);
                    sumGx[ch] += g.get(i) * h.get(i);
                }
            }
        }
        Tensor dx = null;
        if (x.requiresGrad()) {
            dx = Tensor.zeros(x.dtype(), x.shape());
            Storage out = dx.storage();
            for (int s = 0; s < n; s++) {
                for (int ch = 0; ch < c; ch++) {
                    double scale = (gamma == null ? 1 : gamma.storage().get(ch)) * invStd[ch];
                    int at = (s * c + ch) * inner;
                    for (int i = at; i < at + inner; i++) {
                        out.set(i, batchStatistics
                                ? scale / m * (m * g.get(i) - sumG[ch] - h.get(i) * sumGx[ch])
                                : scale * g.get(i));
                    }
                }
            }
        }
        Tensor dGamma = gamma != null && gamma.requiresGrad() ? channelTensor(sumGx, gamma) : null;
        Tensor dBeta = beta != null && beta.requiresGrad() ? channelTensor(sumG, beta) : null;
        if (gamma == null && beta == null) {
            return new Tensor[] {dx};
        }
        return gamma == null ? new Tensor[] {dx, dBeta} : beta == null ? new Tensor[] {dx, dGamma}
                : new Tensor[] {dx, dGamma, dBeta};
    }

    private static Tensor channelTensor(double[] values, Tensor like) {
        Tensor t = Tensor.zeros(like.dtype(), like.shape());
        for (int i = 0; i < values.length; i++) {
            t.storage().set(i, values[i]);
        }
        return t;
    }
}
