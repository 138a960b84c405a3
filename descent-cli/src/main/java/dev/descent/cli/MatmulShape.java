package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.tensor.DType;
import dev.descent.tensor.Storage;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One matrix product {@code C = op(A)·op(B)} of shape m×k by k×n, written {@code MxKxN} or
 * {@code MxKxN:TN}: the letters say whether A and B are transposed ({@code NT} is a layer's
 * forward pass {@code x·wᵀ}, {@code TN} its weight gradient {@code dyᵀ·x}).
 */
public record MatmulShape(int m, int k, int n, boolean transA, boolean transB) {
    private static final Pattern FORM = Pattern.compile("(\\d+)x(\\d+)x(\\d+)(?::([NT])([NT]))?");

    /** The shape written as text; a malformed one is a user error naming the expected form. */
    public static MatmulShape parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new DescentException("bad matrix shape '" + text + "'; write MxKxN or MxKxN:TN, like 512x512x512");
        }
        return new MatmulShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                "T".equals(m.group(4)), "T".equals(m.group(5)));
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n + ":" + (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    /** Floating-point operations of one product: a multiply and an add per term. */
    public long flops() {
        return 2L * m * k * n;
    }

    /** {@code size} floats uniform in [−1, 1). */
    public static Storage random(SplittableRandom rng, int size) {
        Storage s = Storage.allocate(DType.FLOAT32, size);
        for (int i = 0; i < size; i++) {
            s.set(i, rng.nextDouble() * 2 - 1);
        }
        return s;
    }
}
