package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Table-driven copies between a flat buffer and a packed one, the inner loops of im2col,
 * col2im and pooling: {@code table[i]} is an index relative to a base offset, or −1 for a
 * position that reads as 0 (padding) and receives nothing.
 */
final class Gather {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Gather() {
    }

    /**
     * The runs of a table made of blocks of {@code block} entries (one block per kernel tap):
     * {@code runs[i]} is how many entries from {@code i} to the end of its block continue the
     * entry at {@code i}, either consecutive indices ({@code table[i + d] = table[i] + d}) or
     * padding (−1). A run of indices is one contiguous copy: a 3×3 convolution at stride 1
     * reads whole rows of its input, so its runs are as long as an output row.
     */
    static int[] runs(int[] table, int block) {
        int[] runs = new int[table.length];
        for (int i = table.length - 1; i >= 0; i--) {
            boolean continues = (i + 1) % block != 0
                    && (table[i] < 0 ? table[i + 1] < 0 : table[i + 1] == table[i] + 1);
            runs[i] = continues ? runs[i + 1] + 1 : 1;
        }
        return runs;
    }

    /**
     * {@link #scatterAdd} for floats, a run of the table ({@link #runs}) at a time in vectors,
     * the rest of the run one at a time (masked stores took C2's slow path, which checks every
     * lane): {@code dst[base + table[i]] += src[at + i]} wherever
     * {@code table[i] ≥ 0}, the same additions in the same order (the elements of one run are
     * distinct). Runs are an output row long (24 for the CNN), too short for the loops that C2
     * vectorises by itself, which left this scalar.
     */
    static void scatterAddRuns(float[] src, int at, int[] table, int[] runs, float[] dst, int base) {
        for (int i = 0; i < table.length; i += runs[i]) {
            int t = table[i], len = runs[i];
            if (t >= 0) {
                int q = 0, from = at + i, to = base + t;
                for (; q + L <= len; q += L) {
                    FloatVector.fromArray(S, dst, to + q).add(FloatVector.fromArray(S, src, from + q)).intoArray(dst, to + q);
                }
                for (; q < len; q++) {
                    dst[to + q] += src[from + q];
                }
            }
        }
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
