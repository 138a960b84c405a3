package dev.descent.cli.serve;

import dev.descent.train.Prediction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dynamic batching: the encoded instances of concurrent requests are stacked and predicted in
 * one forward pass, on one worker thread (the model is used by nothing else).
 *
 * <p>The worker takes the oldest waiting request, then keeps adding requests as they arrive
 * until {@code window} has passed since it took the first one or the next request would make
 * the batch larger than {@code maxBatch} instances (that one starts the next batch); then it
 * predicts the batch and answers each request with its own rows. A request that would make more
 * than {@code maxQueue} instances wait is refused (429, the client should retry later). {@link #close()} refuses
 * new requests (503) and answers every request already accepted before it returns.
 */
final class Batcher implements AutoCloseable {
    /** One request: its encoded instances and the answer it waits for. */
    private record Job(float[] rows, int count, CompletableFuture<Prediction> answer) {
    }

    private static final Job STOP = new Job(new float[0], 0, null);

    private final ServedModel model;
    private final int maxBatch;
    private final int maxQueue;
    private final long windowNanos;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;
    private final AtomicLong requests = new AtomicLong(), instances = new AtomicLong(), batches = new AtomicLong(),
            largestBatch = new AtomicLong(), refused = new AtomicLong();

    Batcher(ServedModel model, int maxBatch, int maxQueue, Duration window) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxQueue = maxQueue;
        this.windowNanos = window.toNanos();
        this.worker = Thread.ofPlatform().name("descent-batcher").daemon().start(this::work);
    }

    /**
     * Queues {@code count} encoded instances, at most {@code maxBatch}, for the next batch; the
     * answer holds their predictions, or the failure of their forward pass.
     *
     * @throws HttpError 429 when the queue is full, 503 once closed
     */
    CompletableFuture<Prediction> submit(float[] rows, int count) {
        if (count < 1 || count > maxBatch) {
            throw new IllegalArgumentException("a request of " + count + " instances; the server refuses more than " + maxBatch);
        }
        if (waiting.addAndGet(count) > maxQueue) {
            waiting.addAndGet(-count);
            refused.incrementAndGet();
            throw new HttpError(429, "the server is busy: " + maxQueue + " instances are waiting already (--max-queue);"
                    + " retry later");
        }
        Job job = new Job(rows, count, new CompletableFuture<>());
        synchronized (this) { // so that no job slips in behind STOP
            if (closed) {
                waiting.addAndGet(-count);
                throw new HttpError(503, "the server is shutting down; send the request to another one");
            }
            queue.add(job);
        }
        return job.answer();
    }

    private void work() {
        Job next = null;
        while (true) {
            try {
                Job first = next != null ? next : queue.take();
                next = null;
                if (first == STOP) {
                    return;
                }
                List<Job> batch = new ArrayList<>(List.of(first));
                int size = first.count();
                long deadline = System.nanoTime() + windowNanos;
                while (size < maxBatch) {
                    Job job = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (job == null) {
                        break;
                    }
                    if (job == STOP || size + job.count() > maxBatch) {
                        next = job; // it starts the next batch (or stops the worker after this one)
                        break;
                    }
                    batch.add(job);
                    size += job.count();
                }
                run(batch, size);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Predicts the stacked rows of {@code batch} ({@code size} instances) and answers each request. */
    private void run(List<Job> batch, int size) {
        waiting.addAndGet(-size);
        float[] rows = new float[size * model.width()];
        int at = 0;
        for (Job job : batch) {
            System.arraycopy(job.rows(), 0, rows, at, job.rows().length);
            at += job.rows().length;
        }
        Prediction all;
        try {
            all = model.predict(rows, size);
        } catch (RuntimeException | Error e) {
            batch.forEach(job -> job.answer().completeExceptionally(e));
            return;
        }
        requests.addAndGet(batch.size());
        instances.addAndGet(size);
        batches.incrementAndGet();
        largestBatch.accumulateAndGet(size, Math::max);
        int from = 0;
        for (Job job : batch) {
            job.answer().complete(slice(all, from, from + job.count()));
            from += job.count();
        }
    }

    private static Prediction slice(Prediction p, int from, int to) {
        return new Prediction(p.probabilities().length == 0 ? p.probabilities() : Arrays.copyOfRange(p.probabilities(), from, to),
                p.classNames(), p.values().length == 0 ? p.values() : Arrays.copyOfRange(p.values(), from, to));
    }

    /** Counts since the start: requests and instances predicted, forward passes, the largest batch, requests refused as busy; instances waiting now. */
    Map<String, Object> statistics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests.get());
        m.put("instances", instances.get());
        m.put("batches", batches.get());
        m.put("largest_batch", largestBatch.get());
        m.put("refused_busy", refused.get());
        m.put("waiting", waiting.get());
        return m;
    }

    /** Refuses new requests, answers those accepted, and stops the worker. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
