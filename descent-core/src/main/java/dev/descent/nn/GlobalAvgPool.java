package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Global average pooling {@code y[n, c] = (1/(H·W)) Σ_{i,j} x[n, c, i, j]}: {@code [N, C, H, W] → [N, C]}
 * (any number of trailing axes are averaged). No parameters.
 */
public final class GlobalAvgPool extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException("global average pooling wants input [N, C, H, W], got " + x.shape());
        }
        return x.reshape(x.dim(0), x.dim(1), -1).mean(2, false);
    }

    @Override
    public String toString() {
        return "GlobalAvgPool";
    }
}
