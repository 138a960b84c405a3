package dev.descent.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The worker pool of the float kernels, sized by the {@code DESCENT_THREADS} environment
 * variable (or the {@code descent.threads} system property), else the number of cores.
 * Work is split into fixed chunks, so every element is computed the same way whatever the
 * thread count and results do not depend on it.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = new ForkJoinPool(defaultThreads());

    /** A body run over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    private static int defaultThreads() {
        String value = System.getProperty("descent.threads", System.getenv("DESCENT_THREADS"));
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            System.err.println("descent: notice: ignoring DESCENT_THREADS=" + value + " (want a positive integer)");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of worker threads. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Threads that a split started here runs on: 1 inside a task of the pool ({@link #forRange} runs it inline), else {@link #threads}. */
    static int threadsHere() {
        return java.util.concurrent.ForkJoinTask.getPool() == pool ? 1 : threads();
    }

    /** Replaces the pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        if (n != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of {@code grain} indices, in parallel
     * when there is more than one chunk and more than one thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = (n + grain - 1) / grain;
        if (chunks <= 1 || threads() == 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Chunks(0, chunks, grain, n, body));
    }

    private static final class Chunks extends RecursiveAction {
        private final int first, last, grain, n;
        private final RangeBody body;

        Chunks(int first, int last, int grain, int n, RangeBody body) {
            this.first = first;
            this.last = last;
            this.grain = grain;
            this.n = n;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (last - first == 1) {
                body.run(first * grain, Math.min(n, (first + 1) * grain));
                return;
            }
            int mid = (first + last) >>> 1;
            invokeAll(new Chunks(first, mid, grain, n, body), new Chunks(mid, last, grain, n, body));
        }
    }
}
