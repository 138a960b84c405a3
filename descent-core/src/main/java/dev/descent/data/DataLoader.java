package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over a {@link Dataset}. Each epoch visits every example once: in order, or,
 * when shuffling, in a permutation drawn by Fisher–Yates from
 * {@code new SplittableRandom(seed ^ mix(epoch))}, so the order of epoch {@code e} depends
 * only on {@code (seed, e)} and can be replayed when training resumes. Batches hold
 * {@code batchSize} examples; the last one holds the remaining {@code N mod batchSize}
 * examples, or is dropped when {@code dropLast} is set.
 */
public final class DataLoader {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final BatchTransform transform;

    /**
     * A change made to the inputs of every batch, such as random augmentation: it returns new
     * inputs of the same shape, drawing any randomness from {@code rng}, which depends only on
     * the loader's seed, the epoch and the batch index, so runs are reproducible.
     */
    @FunctionalInterface
    public interface BatchTransform {
        Tensor apply(Tensor inputs, java.util.random.RandomGenerator rng);
    }

    /**
     * One mini-batch: {@code inputs[B, ...]} and {@code targets[B]} or {@code [B, k]}, the rows
     * {@code rows[B]} of the data set they were taken from.
     */
    public record Batch(Tensor inputs, Tensor targets, int[] rows) {
        /** The number of examples in this batch, B. */
        public int size() {
            return inputs.dim(0);
        }
    }

    public DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this(data, batchSize, shuffle, seed, dropLast, null);
    }

    private DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast, BatchTransform transform) {
        if (batchSize < 1) {
            throw new DescentException("batch size must be at least 1, got " + batchSize + "; pass a positive batch size");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.transform = transform;
    }

    /**
     * This loader with {@code transform} applied to the inputs of every batch (null: none);
     * batch {@code b} of epoch {@code e} gets {@code new SplittableRandom(mix(mix(seed ^ mix(e)) + b))}.
     */
    public DataLoader withTransform(BatchTransform transform) {
        return new DataLoader(data, batchSize, shuffle, seed, dropLast, transform);
    }

    /** Batches per epoch: {@code floor(N / batchSize)} when dropping the last partial batch, else {@code ceil}. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Dataset data() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The example indices of {@code epoch} in visiting order (all N, including a dropped tail). */
    public int[] order(int epoch) {
        int[] order = new int[data.size()];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            shuffle(order, new SplittableRandom(seed ^ mix(epoch)));
        }
        return order;
    }

    /** Fisher–Yates: permutes {@code a} in place, uniformly at random. */
    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The batches of {@code epoch}; each iteration replays the same sequence. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private final int batches = batchesPerEpoch();
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int batch = next++, from = batch * batchSize, to = Math.min(from + batchSize, order.length);
                int[] idx = Arrays.copyOfRange(order, from, to);
                Tensor inputs = data.inputs().indexSelect(0, idx);
                if (transform != null) {
                    inputs = transform.apply(inputs, new SplittableRandom(mix(mix(seed ^ mix(epoch)) + batch)));
                }
                return new Batch(inputs, data.targets().indexSelect(0, idx), idx);
            }
        };
    }

    /** Stafford's variant 13 of the 64-bit MurmurHash3 finalizer: nearby epochs give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
