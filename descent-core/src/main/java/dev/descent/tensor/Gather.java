package dev.descent.tensor;

/**
 * Table-driven copies between a flat buffer and a packed one, the inner loops of im2col,
 * col2im and pooling: {@code table[i]} is an index relative to a base offset, or −1 for a
 * position that reads as 0 (padding) and receives nothing.
 */
final class Gather {
    private Gather() {
    }

    /** {@code dst[at + i] = table[i] < 0 ? 0 : src[base + table[i]]}. */
    static void gather(Storage src, int base, int[] table, Storage dst, int at) {
        if (src instanceof FloatStorage(float[] s) && dst instanceof FloatStorage(float[] d)) {
            for (int i = 0; i < table.length; i++) {
                int t = table[i];
                d[at + i] = t < 0 ? 0f : s[base + t];
            }
        } else {
            double[] s = ((DoubleStorage) src).data(), d = ((DoubleStorage) dst).data();
            for (int i = 0; i < table.length; i++) {
                int t = table[i];
                d[at + i] = t < 0 ? 0 : s[base + t];
            }
        }
    }

    /** {@code dst[base + table[i]] += src[at + i]} wherever {@code table[i] ≥ 0} (the adjoint of {@link #gather}). */
    static void scatterAdd(Storage src, int at, int[] table, Storage dst, int base) {
        if (src instanceof FloatStorage(float[] s) && dst instanceof FloatStorage(float[] d)) {
            for (int i = 0; i < table.length; i++) {
                int t = table[i];
                if (t >= 0) {
                    d[base + t] += s[at + i];
                }
            }
        } else {
            double[] s = ((DoubleStorage) src).data(), d = ((DoubleStorage) dst).data();
            for (int i = 0; i < table.length; i++) {
                int t = table[i];
                if (t >= 0) {
                    d[base + t] += s[at + i];
                }
            }
        }
    }
}
