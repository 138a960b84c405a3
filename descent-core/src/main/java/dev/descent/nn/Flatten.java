package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Keeps the batch axis and merges the others: {@code [N, d1, ..., dk] → [N, d1·…·dk]}. No parameters. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.flatten();
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
