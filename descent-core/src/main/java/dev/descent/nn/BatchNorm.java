package dev.descent.nn;

import dev.descent.tensor.BatchNormalization;
import dev.descent.tensor.Tensor;

/**
 * Batch normalization, PyTorch's {@code BatchNorm1d} ({@code [N, C]} or {@code [N, C, L]}) and
 * {@code BatchNorm2d} ({@code [N, C, H, W]}) in one layer: per channel c (axis 1),
 * <pre>
 *   y = γ_c·(x − μ_c)/√(σ²_c + ε) + β_c
 * </pre>
 * In training, μ and σ² are the batch mean and biased variance over every axis but 1, and the
 * running statistics (buffers {@code "running_mean"}, starting at 0, and
 * {@code "running_var"}, starting at 1) are updated in place:
 * {@code r ← (1 − momentum)·r + momentum·s}, with the unbiased variance {@code σ²·M/(M − 1)}
 * for {@code running_var}. In evaluation mode μ and σ² are the running statistics, so each
 * example's output depends on that example alone. Parameters {@code "weight"} γ (ones) and
 * {@code "bias"} β (zeros), unless not affine.
 */
public final class BatchNorm extends Module {
    /** PyTorch's defaults. */
    public static final double EPS = 1e-5, MOMENTUM = 0.1;

    private final int channels;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    /** Batch norm over {@code channels} with PyTorch's defaults (ε = 1e-5, momentum 0.1, affine). */
    public BatchNorm(int channels) {
        this(channels, EPS, MOMENTUM, true);
    }

    public BatchNorm(int channels, double eps, double momentum, boolean affine) {
        if (channels < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm needs channels ≥ 1, eps > 0 and momentum in [0, 1], got "
                    + channels + ", " + eps + ", " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        if (affine) {
            registerParameter("weight", Tensor.ones(channels));
            registerParameter("bias", Tensor.zeros(channels));
        }
        registerBuffer("running_mean", Tensor.zeros(channels));
        registerBuffer("running_var", Tensor.ones(channels));
    }

    /** ε, added to the variance. */
    public double eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException("BatchNorm wants input [N, " + channels + ", ...], got " + x.shape());
        }
        Tensor gamma = affine ? parameter("weight") : null, beta = affine ? parameter("bias") : null;
        Tensor runningMean = buffer("running_mean"), runningVar = buffer("running_var");
        boolean batchStatistics = isTraining();
        double[] mean = batchStatistics ? new double[channels] : runningMean.toDoubleArray();
        double[] variance = batchStatistics ? new double[channels] : runningVar.toDoubleArray();
        Tensor y = BatchNormalization.batchNorm(x, gamma, beta, mean, variance, eps, batchStatistics);
        if (batchStatistics) {
            long m = x.size() / channels;
            for (int c = 0; c < channels; c++) {
                double unbiased = m > 1 ? variance[c] * m / (m - 1) : variance[c];
                runningMean.storage().set(c, (1 - momentum) * runningMean.storage().get(c) + momentum * mean[c]);
                runningVar.storage().set(c, (1 - momentum) * runningVar.storage().get(c) + momentum * unbiased);
            }
        }
        return y;
    }

    @Override
    public String toString() {
        return "BatchNorm(" + channels + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine + ")";
    }
}
