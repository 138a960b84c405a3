package dev.descent.bench;

import dev.descent.tensor.DType;
import dev.descent.tensor.Storage;

import java.util.SplittableRandom;

/** One matrix product's shape, written {@code MxKxN} or {@code MxKxN:TN} (which operands are transposed). */
record MatmulShape(int m, int k, int n, boolean transA, boolean transB) {
    static MatmulShape parse(String text) {
        String[] parts = text.split(":");
        String[] dims = parts[0].split("x");
        String trans = parts.length > 1 ? parts[1] : "NN";
        return new MatmulShape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                trans.charAt(0) == 'T', trans.charAt(1) == 'T');
    }

    /** Floating-point operations of one product: a multiply and an add per term. */
    long flops() {
        return 2L * m * k * n;
    }

    static Storage random(SplittableRandom rng, int size) {
        Storage s = Storage.allocate(DType.FLOAT32, size);
        for (int i = 0; i < size; i++) {
            s.set(i, rng.nextDouble() * 2 - 1);
        }
        return s;
    }
}
