package dev.descent.cli.tune;

import dev.descent.DescentException;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the trials of a search: asks the strategy for the next job whenever one of the
 * {@code parallel} workers is free, runs it, and appends one JSON line per finished job to
 * {@code trials.jsonl} (flushed at once). A job's configuration depends only on the seed, its trial
 * id and the jobs finished before it, so a search that was killed and started again reads the log,
 * skips every finished job and repeats none: trial ids are handed out from 0, skipping those in the
 * log and those running. Jobs still running when the time budget ends are stopped and not logged.
 *
 * <p>Strategies: {@code grid} (every configuration of {@link SearchSpace#grid}), {@code random}
 * (trial i draws from a generator seeded with (seed, i)), {@code tpe} ({@link Tpe}) and
 * {@code hyperband} ({@link Hyperband}, new trials drawn at random). The score is the validation
 * accuracy of the trial's best epoch, or minus its validation loss; failed trials score −∞. When
 * max({@value #FAILURE_STREAK}, parallel) jobs in a row fail, the search stops with the last error
 * (a wrong option or missing data fails every trial alike).
 */
public final class Tuner {
    /** The search strategies. */
    public enum Strategy { GRID, RANDOM, TPE, HYPERBAND }

    /**
     * @param strategy   how configurations are chosen
     * @param seed       seed of the sampling (and of every trial's training)
     * @param trials     the most trials (new configurations) to run, 0 for no limit
     * @param timeMillis the time budget, 0 for none
     * @param parallel   trials run at once
     * @param maxEpochs  epochs of a trial (hyperband: of its last rung), unless the space sets {@code epochs}
     * @param minEpochs  hyperband: epochs of the first rung
     * @param eta        hyperband: the reduction factor η
     * @param gridPoints grid: values per range
     * @param metric     {@code val_accuracy} (maximized) or {@code val_loss} (minimized)
     */
    public record Settings(Strategy strategy, long seed, int trials, long timeMillis, int parallel, int maxEpochs,
                           int minEpochs, int eta, int gridPoints, String metric) {
        public Settings {
            if (!metric.equals("val_accuracy") && !metric.equals("val_loss")) {
                throw new DescentException("unknown --metric '" + metric + "'; choose val_accuracy or val_loss");
            }
        }
    }

    /**
     * One training job.
     *
     * @param trial  the trial id
     * @param rung   hyperband's rung (0 otherwise)
     * @param epochs total epochs to train to
     * @param config the trial's hyperparameters
     * @param resume whether it continues the trial's checkpoint (a hyperband promotion)
     */
    public record Job(int trial, int rung, int epochs, Map<String, Object> config, boolean resume) {
    }

    /** Runs one job: returns the {@code --json} summary of {@code descent train}, or throws {@link TrialFailed}. */
    public interface Runner {
        Map<String, Object> run(Job job) throws TrialFailed, InterruptedException;
    }

    /** A trial whose training failed (diverged, bad option): logged with its message, scored −∞. */
    public static final class TrialFailed extends Exception {
        public TrialFailed(String message) {
            super(message);
        }
    }

    /** Consecutive failed jobs (at least) that stop the search. */
    public static final int FAILURE_STREAK = 3;

    private final SearchSpace space;
    private final Settings settings;
    private final Path logFile;
    private final Runner runner;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Hyperband hyperband;
    private List<Map<String, Object>> grid;

    public Tuner(SearchSpace space, Settings settings, Path logFile, Runner runner) {
        this.space = space;
        this.settings = settings;
        this.logFile = logFile;
        this.runner = runner;
        this.hyperband = settings.strategy() == Strategy.HYPERBAND
                ? new Hyperband(settings.minEpochs(), settings.maxEpochs(), settings.eta()) : null;
        if (hyperband != null && space.parameters().stream().anyMatch(p -> p.name().equals("epochs"))) {
            throw new DescentException("hyperband chooses the epochs itself; remove \"epochs\" from the space or use --min-epochs/--epochs");
        }
    }

    /** Runs the search to its end (all trials, or the time budget) and returns every logged job. */
    public List<Map<String, Object>> run() throws InterruptedException {
        records.clear();
        records.addAll(readLog(logFile));
        long deadline = settings.timeMillis() > 0 ? System.currentTimeMillis() + settings.timeMillis() : Long.MAX_VALUE;
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallel());
        ExecutorCompletionService<Map<String, Object>> completions = new ExecutorCompletionService<>(pool);
        Set<Integer> running = new HashSet<>();
        int inFlight = 0, failedInARow = 0;
        try {
            while (true) {
                while (inFlight < settings.parallel() && System.currentTimeMillis() < deadline) {
                    Job job = next(running);
                    if (job == null) {
                        break;
                    }
                    running.add(job.trial());
                    completions.submit(() -> execute(job));
                    inFlight++;
                }
                if (inFlight == 0) {
                    break;
                }
                long wait = deadline - System.currentTimeMillis();
                Future<Map<String, Object>> done = deadline == Long.MAX_VALUE ? completions.take()
                        : completions.poll(Math.max(0, wait), TimeUnit.MILLISECONDS);
                if (done == null) {
                    break;                                   // time is up: running jobs are stopped below
                }
                inFlight--;
                Map<String, Object> record = result(done);
                running.remove((int) Json.toDouble(record.get("trial")));
                AtomicFiles.appendLine(logFile, Json.write(record));
                records.add(record);
                failedInARow = "ok".equals(record.get("status")) ? 0 : failedInARow + 1;
                if (failedInARow >= Math.max(FAILURE_STREAK, settings.parallel())) {
                    throw new DescentException("the last " + failedInARow + " trials failed, the last with: " + record.get("error")
                            + "; fix the cause (see the trial logs) and run the same command again");
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        return List.copyOf(records);
    }

    private static Map<String, Object> result(Future<Map<String, Object>> done) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a trial's runner failed", e.getCause());
        }
    }

    private Map<String, Object> execute(Job job) throws InterruptedException {
        long started = System.nanoTime();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("trial", job.trial());
        if (hyperband != null) {
            record.put("rung", job.rung());
        }
        record.put("epochs", job.epochs());
        record.put("seed", settings.seed());
        record.put("params", job.config());
        try {
            Map<String, Object> summary = runner.run(job);
            record.put("status", "ok");
            for (String key : List.of("val_accuracy", "val_loss", "best_epoch")) {
                if (summary.containsKey(key)) {
                    record.put(key, summary.get(key));
                }
            }
            record.put("epochs_run", summary.getOrDefault("epochs", (long) job.epochs()));
            Object value = summary.get(settings.metric());
            if (value == null) {
                throw new TrialFailed("the trial reported no " + settings.metric() + " (is there a validation set?)");
            }
        } catch (TrialFailed e) {
            record.put("status", "failed");
            record.put("error", e.getMessage());
        }
        record.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return record;
    }

    /** The score of a logged job (higher is better; −∞ when it failed). */
    public static double score(Map<String, Object> record, String metric) {
        Object v = record.get(metric);
        if (!"ok".equals(record.get("status")) || v == null) {
            return Double.NEGATIVE_INFINITY;
        }
        return metric.equals("val_loss") ? -Json.toDouble(v) : Json.toDouble(v);
    }

    private Job next(Set<Integer> running) {
        Set<Integer> finished = new HashSet<>();
        records.forEach(r -> finished.add((int) Json.toDouble(r.get("trial"))));
        if (hyperband != null) {
            Hyperband.Promotion p = hyperband.promotion(hyperbandResults(), running);
            if (p != null) {
                return new Job(p.trial(), p.rung(), hyperband.epochs(p.rung()), configOf(p.trial()), true);
            }
        }
        int limit = settings.trials() > 0 ? settings.trials() : Integer.MAX_VALUE;
        if (settings.strategy() == Strategy.GRID) {
            if (grid == null) {
                grid = space.grid(settings.gridPoints());
            }
            limit = Math.min(limit, grid.size());
        }
        int id = 0;
        while (finished.contains(id) || running.contains(id)) {
            id++;
        }
        if (id >= limit) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(settings.seed() * 1_000_003L + id);
        Map<String, Object> config = switch (settings.strategy()) {
            case GRID -> grid.get(id);
            case RANDOM, HYPERBAND -> space.sample(rng);
            case TPE -> Tpe.propose(space, observations(), rng);
        };
        if (hyperband != null) {
            int rung = hyperband.firstRung(id);
            return new Job(id, rung, hyperband.epochs(rung), config, false);
        }
        int epochs = config.containsKey("epochs") ? (int) Json.toDouble(config.get("epochs")) : settings.maxEpochs();
        return new Job(id, 0, epochs, config, false);
    }

    private List<Tpe.Observation> observations() {
        List<Tpe.Observation> obs = new ArrayList<>();
        for (Map<String, Object> r : records) {
            double s = score(r, settings.metric());
            obs.add(new Tpe.Observation(params(r), Double.isFinite(s) ? s : -1e300));
        }
        return obs;
    }

    private List<Hyperband.Result> hyperbandResults() {
        List<Hyperband.Result> results = new ArrayList<>();
        for (Map<String, Object> r : records) {
            int epochsRun = (int) Json.toDouble(r.getOrDefault("epochs_run", 0L));
            boolean stopped = !"ok".equals(r.get("status")) || epochsRun < (int) Json.toDouble(r.get("epochs"));
            results.add(new Hyperband.Result((int) Json.toDouble(r.get("trial")), (int) Json.toDouble(r.getOrDefault("rung", 0L)),
                    score(r, settings.metric()), stopped));
        }
        return results;
    }

    private Map<String, Object> configOf(int trial) {
        return records.stream().filter(r -> (int) Json.toDouble(r.get("trial")) == trial).findFirst()
                .map(Tuner::params).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> params(Map<String, Object> record) {
        return (Map<String, Object>) record.get("params");
    }

    /**
     * Each trial's last logged job (its highest rung), ranked best first: by score, then by lower
     * validation loss, then by trial id.
     */
    public static List<Map<String, Object>> ranked(List<Map<String, Object>> records, String metric) {
        Map<Integer, Map<String, Object>> last = new java.util.TreeMap<>();
        for (Map<String, Object> r : records) {
            last.merge((int) Json.toDouble(r.get("trial")), r, (a, b) ->
                    Json.toDouble(a.getOrDefault("rung", 0L)) >= Json.toDouble(b.getOrDefault("rung", 0L)) ? a : b);
        }
        List<Map<String, Object>> list = new ArrayList<>(last.values());
        list.sort(Comparator.comparingDouble((Map<String, Object> r) -> -score(r, metric))
                .thenComparingDouble(r -> r.get("val_loss") == null ? Double.POSITIVE_INFINITY : Json.toDouble(r.get("val_loss")))
                .thenComparingDouble(r -> Json.toDouble(r.get("trial"))));
        return list;
    }

    /**
     * The logged jobs; a last line cut short by a kill (no newline at its end) is removed from the
     * file, so the next append starts on a line of its own.
     */
    public static List<Map<String, Object>> readLog(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < bytes.length) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(end);
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(Json.parseObject(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new DescentException("cannot read the trial log " + file + " (" + e.getMessage() + "); check its permissions");
        } catch (DescentException e) {
            throw new DescentException("the trial log " + file + " is damaged (" + e.getMessage()
                    + "); remove the bad line or start again with a new --out");
        }
    }
}
