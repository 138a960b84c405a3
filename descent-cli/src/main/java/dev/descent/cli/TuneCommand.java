package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.cli.tune.ClusterRunner;
import dev.descent.cli.tune.ProcessRunner;
import dev.descent.cli.tune.TrialRunner;
import dev.descent.cli.tune.SearchSpace;
import dev.descent.cli.tune.Tuner;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.train.Cluster;
import dev.descent.train.Learners;
import dev.descent.train.ProgressBar;
import dev.descent.train.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code descent tune}: hyperparameter search over {@code descent train} options. Each trial is a
 * {@code descent train ... --json} run in its own JVM with one thread (or, with {@code --spark}, as one
 * Spark task), {@code --parallel} at a time;
 * every finished trial is one line of {@code OUT/trials.jsonl}, so running the same command again
 * after a kill continues where it stopped. At the end the best configuration is trained again on
 * training + validation data for the epochs its trial chose and evaluated once on the test set.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search hyperparameters: every key of the space file is a `descent train` option.",
                "Example: descent tune examples/mnist-space.json --strategy tpe --time 20m --out runs/tune"})
final class TuneCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPACE", description = "Search space, a JSON file (see examples/mnist-space.json).")
    Path spaceFile;

    @Parameters(index = "1", arity = "0..1", defaultValue = "mnist", paramLabel = "DATASET", description = "Data set (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "tpe",
            description = "grid, random, tpe (tree-structured Parzen estimator) or hyperband (asynchronous successive halving) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "0", description = "Most trials to run (0: no limit; give --time).")
    int trials;

    @Option(names = "--time", paramLabel = "DURATION", description = "Time budget for the trials, e.g. 20m, 90s, 1h30m; running trials are stopped then.")
    String time;

    @Option(names = "--parallel", paramLabel = "K", description = "Trials at once, one thread each (default: the number of cores).")
    Integer parallel;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "Epochs per trial (hyperband: of the last rung), unless the space sets epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--min-epochs", paramLabel = "N", defaultValue = "1", description = "Hyperband: epochs of the first rung (default: ${DEFAULT-VALUE}).")
    int minEpochs;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "3", description = "Hyperband: keep the best 1/η of each rung (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--grid-points", paramLabel = "N", defaultValue = "3", description = "Grid: values per range (default: ${DEFAULT-VALUE}).")
    int gridPoints;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "3", description = "Early stopping inside each trial (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "val_accuracy", description = "val_accuracy (maximized) or val_loss (minimized) (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--validation", paramLabel = "SHARE", defaultValue = "0.1", description = "Validation share of the training set for the trials (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the sampling and of every trial (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the data files (passed to train).")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training and test examples (passed to train).")
    Integer limit;

    @Option(names = "--train-args", paramLabel = "\"ARGS\"", description = "More `descent train` options for every trial and the final run, e.g. \"--schedule constant\".")
    String trainArgs;

    @Option(names = "--no-final", description = "Skip the final training of the best configuration and its test evaluation.")
    boolean noFinal;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/tune", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "End with one JSON line: the best configuration and its test result.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (and the --json line).")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run each trial as a task on Apache Spark: local[N], or spark://HOST:PORT for a cluster whose workers share this file system (docs/spark.md).")
    String spark;

    @Override
    public void run() {
        if (spark == null) {
            search(new ProcessRunner(), Runtime.getRuntime().availableProcessors());
            return;
        }
        try (Cluster cluster = ClusterOption.connect("--spark", spark, quiet ? line -> { } : System.err::println)) {
            search(new ClusterRunner(cluster), cluster.cores());
        }
    }

    /** The search, its trials run by {@code runner} on {@code cores} cores. */
    private void search(TrialRunner processes, int cores) {
        SearchSpace space = SearchSpace.read(spaceFile);
        for (SearchSpace.Parameter p : space.parameters()) {
            if (Setting.byName(p.name()) == null) {
                throw new DescentException("the search space's key \"" + p.name() + "\" is not a setting of descent train;"
                        + " use option names such as \"lr\", \"batch-size\", \"layers\" (see descent train --help)");
            }
        }
        Tuner.Strategy chosen = strategy();
        long millis = time == null ? 0 : parseDuration(time);
        require(trials >= 0, "--trials must be 0 (no limit) or more, got " + trials);
        require(trials > 0 || millis > 0 || chosen == Tuner.Strategy.GRID, "give a budget: --trials N or --time 20m");
        require(epochs >= 1 && minEpochs >= 1 && minEpochs <= epochs, "--min-epochs must be in [1, --epochs]");
        require(eta >= 2, "--eta must be at least 2, got " + eta);
        require(gridPoints >= 1, "--grid-points must be at least 1");
        require(validation > 0 && validation < 1, "--validation must be in (0, 1): the trials are scored on it, got " + validation);
        int workers = parallel == null ? cores : parallel;
        require(workers >= 1 && workers <= 2 * cores, "--parallel must be from 1 to " + 2 * cores
                + " (twice the cores: each trial is a JVM with its own memory), got " + workers);
        boolean searchesAlgorithms = space.parameters().stream().anyMatch(p -> p.name().equals("algorithm"));
        require(chosen != Tuner.Strategy.HYPERBAND || (!searchesAlgorithms && isNetwork(Map.of())),
                "hyperband grows the epochs of the best trials; tree algorithms have none: use --strategy random or tpe");
        Tuner.Settings settings = new Tuner.Settings(chosen, seed, trials, millis, workers, epochs, minEpochs, eta, gridPoints, metric);
        PrintStream log = quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
        checkOutFolder();
        try {
            Files.createDirectories(out.resolve("trials"));
        } catch (IOException e) {
            throw new DescentException("cannot create " + out + " (" + e.getMessage() + "); choose another --out");
        }
        checkSameSearch(space);
        List<Map<String, Object>> before = Tuner.readLog(out.resolve("trials.jsonl"));
        log.printf(Locale.ROOT, "descent tune: %s, %s, %d at a time%s; %s%n", chosen.name().toLowerCase(Locale.ROOT), space,
                workers, millis > 0 ? ", " + time : "", before.isEmpty() ? "new search in " + out
                        : "resuming " + out + " (" + before.size() + " finished " + (before.size() == 1 ? "job" : "jobs") + " in trials.jsonl)");
        int planned = trials > 0 ? trials : chosen == Tuner.Strategy.GRID ? space.grid(gridPoints).size() : 0;
        Progress progress = new Progress(before.size(), planned, millis);
        Tuner tuner = new Tuner(space, settings, out.resolve("trials.jsonl"), job -> {
            Path dir = out.resolve("trials").resolve(String.format(Locale.ROOT, "trial-%04d", job.trial()));
            List<String> args = baseArgs();
            boolean network = isNetwork(job.config());
            args.addAll(SearchSpace.arguments(applying(job.config())));
            if (network && !job.config().containsKey("epochs")) {
                args.addAll(List.of("--epochs", Integer.toString(job.epochs())));
            }
            if (network && !job.config().containsKey("patience")) {
                args.addAll(List.of("--patience", Integer.toString(patience)));
            }
            args.addAll(List.of("--seed", Long.toString(seed), "--validation", Double.toString(validation),
                    "--threads", "1", "--json", "--no-plots"));
            args.addAll(job.resume() ? List.of("--resume", dir.toString()) : List.of("--out", dir.toString(), "--overwrite"));
            Map<String, Object> summary = processes.run(args, dir.resolveSibling(dir.getFileName() + ".log"));
            synchronized (log) {
                double score = summary.containsKey(metric) ? Json.toDouble(summary.get(metric)) : Double.NaN;
                progress.finished(job.trial(), score);
                log.printf(Locale.ROOT, "trial %d%s: %s %s  (%s)  %s%n", job.trial(), job.resume() || settings.strategy() == Tuner.Strategy.HYPERBAND
                                ? " rung " + job.rung() + " (" + job.epochs() + " epochs)" : "", metric,
                        Double.isNaN(score) ? "?" : format(score), describe(job.config()), progress.describe());
            }
            return summary;
        });
        List<Map<String, Object>> records;
        try {
            records = tuner.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DescentException("interrupted; run the same command again to continue");
        }
        List<Map<String, Object>> ranked = Tuner.ranked(records, metric);
        if (ranked.isEmpty() || !Double.isFinite(Tuner.score(ranked.get(0), metric))) {
            throw new DescentException("no trial finished successfully; see the logs in " + out.resolve("trials"));
        }
        Map<String, Object> best = ranked.get(0);
        Map<String, Object> result = noFinal ? null : finalRun(best, processes, log);
        TuneReport.write(out, space, ranked, metric, chosen, records.size(), result);
        log.printf(Locale.ROOT, "best: trial %s, %s %s, %s%n", best.get("trial"), metric, format(Json.toDouble(best.get(metric))),
                describe(paramsOf(best)));
        if (result != null) {
            log.printf(Locale.ROOT, "final: trained on training + validation%s: %s (test set used once)%n",
                    result.get("epochs") == null ? "" : " for " + result.get("epochs") + " epochs", TuneReport.testScores(result));
        }
        log.printf("wrote %s, %s, %s and %s%n", out.resolve("results.md"), out.resolve("results.csv"), out.resolve("tuning.png"),
                out.resolve("trials.jsonl"));
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("best_trial", best.get("trial"));
            summary.put("params", paramsOf(best));
            summary.put(metric, best.get(metric));
            summary.put("trials", ranked.size());
            if (result != null) {
                result.forEach((key, value) -> {
                    if (key.startsWith("test_")) {
                        summary.put(key, value);
                    }
                });
                summary.put("final_epochs", result.get("epochs"));
            }
            spec.commandLine().getOut().println(Json.write(summary));
        }
    }

    private Map<String, Object> finalRun(Map<String, Object> best, TrialRunner processes, PrintStream log) {
        Map<String, Object> config = paramsOf(best);
        Object bestEpoch = best.getOrDefault("best_epoch", best.get("epochs_run"));
        int finalEpochs = (int) Json.toDouble(bestEpoch);
        Path finalFile = out.resolve("final.json");
        if (Files.exists(finalFile)) {
            Map<String, Object> previous = Json.parseObject(read(finalFile));
            if (Json.toDouble(previous.get("trial")) == Json.toDouble(best.get("trial"))) {
                log.println("final: already done (" + finalFile + ")");
                return previous;
            }
        }
        Map<String, Object> withoutEpochs = new LinkedHashMap<>(applying(config));
        withoutEpochs.remove("epochs");
        withoutEpochs.remove("patience");
        List<String> args = baseArgs();
        args.addAll(SearchSpace.arguments(withoutEpochs));
        if (isNetwork(config)) {
            args.addAll(List.of("--epochs", Integer.toString(finalEpochs), "--patience", "0"));
        }
        args.addAll(List.of("--validation", "0", "--seed", Long.toString(seed), "--out", out.resolve("best").toString(),
                "--overwrite", "--json"));
        log.printf(Locale.ROOT, "final: training trial %s's configuration on training + validation data for %d epochs...%n",
                best.get("trial"), finalEpochs);
        Map<String, Object> summary;
        try {
            summary = new LinkedHashMap<>(processes.run(args, out.resolve("best.log")));
        } catch (Tuner.TrialFailed e) {
            throw new DescentException("the final training failed: " + e.getMessage() + "; see " + out.resolve("best.log"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DescentException("interrupted; run the same command again to continue");
        }
        summary.put("trial", best.get("trial"));
        summary.put("params", config);
        summary.put("command", "descent " + String.join(" ", args));
        AtomicFiles.writeString(finalFile, Json.pretty(summary));
        return summary;
    }

    /**
     * What the search has done: jobs finished (of those planned), the best score so far and its
     * trial, and the time left (the budget's rest, or the mean job time times the jobs left).
     */
    private final class Progress {
        private final long started = System.currentTimeMillis();
        private final int before;
        private final int planned;
        private final long budgetMillis;
        private int finished;
        private double best = Double.NaN;
        private int bestTrial = -1;

        Progress(int before, int planned, long budgetMillis) {
            this.before = before;
            this.planned = planned;
            this.budgetMillis = budgetMillis;
        }

        void finished(int trial, double score) {
            finished++;
            boolean better = metric.equals("val_loss") ? score < best : score > best;
            if (!Double.isNaN(score) && (Double.isNaN(best) || better)) {
                best = score;
                bestTrial = trial;
            }
        }

        /** "[4/20, best 97.81% (trial 2), about 3m left]". */
        String describe() {
            long elapsed = System.currentTimeMillis() - started;
            int done = before + finished;
            long left = budgetMillis > 0 ? Math.max(0, budgetMillis - elapsed)
                    : planned > 0 ? elapsed / Math.max(1, finished) * Math.max(0, planned - done) : -1;
            return "[" + done + (planned > 0 ? "/" + planned : "") + (bestTrial < 0 ? "" : ", best " + format(best)
                    + " (trial " + bestTrial + ")") + (left < 0 ? "" : ", about " + ProgressBar.duration(left / 1000.0)
                    + " left") + "]";
        }
    }

    /** Whether a trial trains the network (not a tree algorithm, from the space or --train-args). */
    private boolean isNetwork(Map<String, Object> config) {
        Object algorithm = config.get("algorithm");
        if (algorithm == null && trainArgs != null) {
            List<String> words = Arrays.asList(trainArgs.trim().split("\\s+"));
            int i = words.indexOf("--algorithm");
            algorithm = i >= 0 && i + 1 < words.size() ? words.get(i + 1) : null;
        }
        return algorithm == null || algorithm.equals(Learners.NETWORK);
    }

    /** The trial's settings that apply to its algorithm: a tree trial drops the network's (learning rate, layers, ...). */
    private Map<String, Object> applying(Map<String, Object> config) {
        if (isNetwork(config)) {
            return config;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            Setting s = Setting.byName(key);
            if (s == null || Learners.appliesToTrees(s)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private List<String> baseArgs() {
        List<String> args = new ArrayList<>(List.of("train", dataset));
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        if (limit != null) {
            args.addAll(List.of("--limit", limit.toString()));
        }
        if (trainArgs != null && !trainArgs.isBlank()) {
            args.addAll(Arrays.asList(trainArgs.trim().split("\\s+")));
        }
        return args;
    }

    /** Refuses an --out that is a file, or a folder with files that are not an earlier search's. */
    private void checkOutFolder() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new DescentException("--out " + out + " is a file, not a folder; give the path of a new folder");
        }
        if (Files.isDirectory(out) && !Files.exists(out.resolve("tune.json"))) {
            try (var children = Files.list(out)) {
                if (children.findAny().isPresent()) {
                    throw new DescentException("--out " + out + " holds files that are not a Descent search; Descent writes only"
                            + " into a new or empty folder or an earlier search's, to continue it; choose another --out");
                }
            } catch (IOException e) {
                throw new DescentException("cannot list " + out + " (" + e.getMessage() + "); choose another --out");
            }
        }
    }

    /** Refuses to continue a search in {@code out} that was started with another space or settings. */
    private void checkSameSearch(SearchSpace space) {
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("space", Json.parse(read(spaceFile)));
        search.put("strategy", strategy);
        search.put("seed", seed);
        search.put("epochs", epochs);
        search.put("min_epochs", minEpochs);
        search.put("eta", eta);
        search.put("grid_points", gridPoints);
        search.put("patience", patience);
        search.put("metric", metric);
        search.put("validation", validation);
        search.put("dataset", dataset);
        search.put("limit", limit == null ? "all" : limit.toString());
        search.put("train_args", trainArgs == null ? "" : trainArgs);
        Path file = out.resolve("tune.json");
        String text = Json.pretty(search);
        if (Files.exists(file)) {
            if (!Json.write(Json.parse(read(file))).equals(Json.write(Json.parse(text)))) {
                throw new DescentException(out + " holds a search with another space or settings (" + file
                        + "); give the same ones to continue it, or a new --out");
            }
        } else {
            AtomicFiles.writeString(file, text);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private Tuner.Strategy strategy() {
        try {
            return Tuner.Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DescentException("unknown --strategy '" + strategy + "'; choose grid, random, tpe or hyperband");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** Milliseconds of a duration such as {@code 20m}, {@code 90s}, {@code 1h30m}. */
    static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (text.isBlank() || !m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
            throw new DescentException("--time '" + text + "' is not a duration; write e.g. 20m, 90s or 1h30m");
        }
        long seconds = 0;
        seconds += m.group(1) == null ? 0 : 3600L * Long.parseLong(m.group(1));
        seconds += m.group(2) == null ? 0 : 60L * Long.parseLong(m.group(2));
        seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        if (seconds == 0) {
            throw new DescentException("--time must be longer than 0, got " + text);
        }
        return seconds * 1000;
    }

    private String format(double value) {
        return metric.equals("val_accuracy") ? String.format(Locale.ROOT, "%.2f%%", 100 * value) : String.format(Locale.ROOT, "%.4f", value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> paramsOf(Map<String, Object> record) {
        return (Map<String, Object>) record.get("params");
    }

    /** {@code key=value ...}, fractions to 3 significant digits. */
    static String describe(Map<String, Object> config) {
        List<String> parts = new ArrayList<>();
        config.forEach((k, v) -> parts.add(k + "=" + (v instanceof Double d && d != Math.rint(d)
                ? String.format(Locale.ROOT, "%.3g", d) : SearchSpace.text(v))));
        return String.join(" ", parts);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new DescentException(message);
        }
    }
}
