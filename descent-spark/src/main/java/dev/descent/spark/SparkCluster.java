package dev.descent.spark;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import dev.descent.optim.Optimizer;
import dev.descent.train.Cluster;
import dev.descent.train.LocalSteps;
import dev.descent.train.Model;
import dev.descent.data.table.Cells;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Table;
import dev.descent.data.table.TableReader;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Descent's work on a Spark cluster, through one {@link JavaSparkContext}:
 * <ul>
 *   <li>data-parallel batch gradients: the training set is cut into one share per core Spark offers,
 *   each sent once as a broadcast and cached on the executors (the tasks carry only its number); each step broadcasts the weights {@code w}, every share adds
 *   the gradient sum of its rows of the batch {@code B}, {@code treeAggregate} adds the shares'
 *   sums, and the parameters' gradients become {@code (1/|B|) Σ_i ∇ℓ_i(w)}; batch normalization
 *   normalizes each share's rows with their own statistics (PyTorch's DDP without SyncBatchNorm) and the
 *   running statistics become the shares' mean weighted by their rows of the batch;</li>
 *   <li>rounds of local steps ({@link LocalSteps}): the weights and the optimizer's state are broadcast,
 *   every share takes its local steps, and {@code treeAggregate} adds the shares' weighted weights and
 *   states into their mean;</li>
 *   <li>tables: {@link #readTable} reads Parquet or CSV with Spark's readers;</li>
 *   <li>commands as tasks: {@link #run} runs one tuning trial per Spark task.</li>
 * </ul>
 * A lost executor costs time only: Spark runs its tasks again, rebuilding its shares from the
 * driver's copy.
 */
public final class SparkCluster implements Cluster {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    /** Descent on the Spark context {@code spark} (e.g. {@code spark-submit}'s); {@link #close()} stops it. */
    public SparkCluster(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    /**
     * Starts a Spark application on {@code master} ({@code local[N]}, {@code spark://host:port});
     * on a cluster the executors get Descent's classes as jars ({@link ApplicationJars}).
     */
    public static SparkCluster connect(String master, Consumer<String> log) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("descent")
                .setIfMissing("spark.ui.enabled", "false");
        if (!master.startsWith("local")) {
            conf.setIfMissing("spark.jars", String.join(",", ApplicationJars.of(SparkCluster.class, Model.class)));
            // Descent's SIMD kernels use the Vector API, an incubator module the executors' JVMs must add.
            conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        }
        long started = System.nanoTime();
        JavaSparkContext context;
        try {
            context = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new DescentException("cannot start Spark on " + master + " (" + e.getMessage() + "); check the master URL"
                    + " (local[N] or spark://HOST:PORT) and that the cluster runs", e);
        }
        log.accept(String.format(Locale.ROOT, "descent: Spark %s on %s, %d cores (%.1fs to start)", context.version(),
                master, context.defaultParallelism(), (System.nanoTime() - started) / 1e9));
        return new SparkCluster(context, log);
    }

    /** The Spark context this cluster uses. */
    public JavaSparkContext context() {
        return spark;
    }

    @Override
    public Session start(Model model, Dataset train) {
        int shares = Math.min(spark.defaultParallelism(), train.size());
        long started = System.nanoTime();
        // Each share travels once, as its own broadcast, to the executor that first computes it, and stays
        // cached there; the tasks carry only the share's number. A lost share is fetched again.
        List<Broadcast<Shard>> sources = Shard.split(train, shares).stream().map(spark::broadcast).toList();
        JavaRDD<Shard> data = spark.parallelize(IntStream.range(0, shares).boxed().toList(), shares)
                .map(k -> sources.get(k).value()).persist(StorageLevel.MEMORY_ONLY());
        data.count();
        log.accept(String.format(Locale.ROOT, "descent: %,d training examples in %d shares on the executors (%.1fs)",
                train.size(), shares, (System.nanoTime() - started) / 1e9));
        return new GradientSession(model, data, sources);
    }

    /** The gradients of one fit: the shares cached on the executors. */
    private final class GradientSession implements Session {
        private final Model model;
        private final String config;
        private final JavaRDD<Shard> data;
        private final List<Broadcast<Shard>> sources;
        private final int depth;

        GradientSession(Model model, JavaRDD<Shard> data, List<Broadcast<Shard>> sources) {
            this.model = model;
            this.config = Json.write(model.config());
            this.data = data;
            this.sources = sources;
            // A level of partial sums only pays with many shares; below that the driver adds them (one stage a step).
            this.depth = data.getNumPartitions() > 8 ? 2 : 1;
        }

        @Override
        public Step gradient(int[] rows, long maskSeed) {
            Broadcast<WorkerModels.Weights> weights = spark.broadcast(WorkerModels.Weights.of(model));
            GradientSum total;
            try {
                StepInput step = new StepInput(config, weights, rows, maskSeed);
                total = data.treeAggregate(GradientSum.empty(), (sum, shard) -> shard.addGradient(sum, step),
                        GradientSum::add, depth);
            } finally {
                weights.destroy();
            }
            if (total.rows != rows.length) {
                throw new IllegalStateException("the shares computed " + total.rows + " of the batch's " + rows.length + " rows");
            }
            List<Tensor> parameters = model.network().parameters();
            for (int i = 0; i < parameters.size(); i++) {
                Tensor p = parameters.get(i);
                p.accumulateGrad(Tensor.of(total.sums[i], p.dims()).scaleInPlace(1.0 / rows.length));
            }
            int i = parameters.size();
            for (Tensor b : model.network().namedBuffers().values()) { // the shares' running statistics, weighted by rows
                b.copyFromInPlace(Tensor.of(total.sums[i++], b.dims()).scaleInPlace(1.0 / rows.length));
            }
            return new Step(total.loss / rows.length, total.correct);
        }

        @Override
        public Round round(LocalSteps plan, List<int[]> batches, long[] maskSeeds, Optimizer optimizer) {
            int[] batchRows = batches.stream().mapToInt(b -> b.length).toArray();
            long rows = java.util.Arrays.stream(batchRows).asLongStream().sum();
            Broadcast<WorkerModels.Weights> weights = spark.broadcast(WorkerModels.Weights.of(model));
            Broadcast<LocalSteps.State> state = spark.broadcast(LocalSteps.State.of(optimizer.state()));
            LocalSteps.Sum total;
            try {
                RoundInput round = new RoundInput(config, weights, state, plan, batches.toArray(int[][]::new), maskSeeds,
                        optimizer.stepCount(), rows);
                total = data.treeAggregate(LocalSteps.Sum.empty(batches.size()), (sum, shard) -> sum.add(shard.round(round)),
                        LocalSteps.Sum::add, depth);
            } finally {
                weights.destroy();
                state.destroy();
            }
            if (total.rows() != rows) {
                throw new IllegalStateException("the shares trained on " + total.rows() + " of the round's " + rows + " rows");
            }
            return total.applyTo(model.network(), optimizer, batchRows);
        }

        @Override
        public void close() {
            data.unpersist(false);
            sources.forEach(Broadcast::destroy);
        }
    }

    /**
     * Reads a Parquet file or folder, or CSV text (a header row unless {@code format} says none, then
     * the columns are named {@code 1, 2, ...} as {@link dev.descent.data.table.CsvReader} names them;
     * tab-separated for {@code .tsv}; {@code .gz} decompressed by Spark) with Spark's readers, every
     * picked column cast to text and each cell {@link Cells#normalize}d. Each row's "line" is its
     * number in the file (plus the header line for CSV).
     */
    @Override
    public Table readTable(String file, CsvReader.Format format, UnaryOperator<List<String>> columns) {
        String name = Path.of(file).getFileName().toString();
        boolean parquet = TableReader.isParquet(file);
        String plain = name.toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        if (parquet && (format.delimiter() != null || !format.header())) {
            throw new DescentException("--delimiter and --no-header describe CSV text, but " + name + " is Parquet,"
                    + " which names its columns itself; leave them out");
        }
        if (plain.endsWith(".arff")) {
            throw new DescentException("Spark reads Parquet and CSV tables, not ARFF (" + name + "): convert it to CSV,"
                    + " or train on it without --spark");
        }
        SparkSession session = SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
        org.apache.spark.sql.Dataset<Row> frame;
        try {
            char delimiter = format.delimiter() != null ? format.delimiter() : plain.endsWith(".tsv") ? '\t' : ',';
            frame = parquet ? session.read().parquet(file) : session.read().option("header", format.header())
                    .option("sep", String.valueOf(delimiter)).csv(file);
            if (!format.header()) {
                frame = frame.toDF(IntStream.rangeClosed(1, frame.columns().length).mapToObj(Integer::toString)
                        .toArray(String[]::new));
            }
        } catch (RuntimeException e) { // Spark's AnalysisException: no such path, not Parquet, ...
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new DescentException("Spark cannot read " + file + " (" + why + "); check the path (on a cluster,"
                    + " every worker must see it)", e);
        }
        List<String> keep = columns.apply(List.of(frame.columns()));
        Column[] picked = keep.stream().map(c -> functions.col("`" + c.replace("`", "``") + "`").cast("string"))
                .toArray(Column[]::new);
        List<Row> rows = frame.select(picked).collectAsList();
        String[][] cells = new String[rows.size()][keep.size()];
        int[] lines = new int[rows.size()];
        for (int r = 0; r < cells.length; r++) {
            Row row = rows.get(r);
            for (int c = 0; c < picked.length; c++) {
                cells[r][c] = row.isNullAt(c) ? null : Cells.normalize(row.getString(c));
            }
            lines[r] = r + (format.header() && !parquet ? 2 : 1);
        }
        return new Table(name, keep, Map.of(), cells, lines);
    }

    @Override
    public int run(String entryPoint, List<String> args, Path out, Path err) throws InterruptedException {
        String outFile = out.toAbsolutePath().toString(), errFile = err.toAbsolutePath().toString();
        String[] arguments = args.toArray(String[]::new);
        spark.setJobGroup("trial-" + out.getFileName() + "-" + System.nanoTime(), "descent trial", true);
        Future<List<Integer>> job = spark.parallelize(List.of(0), 1)
                .map(x -> runHere(entryPoint, arguments, Path.of(outFile), Path.of(errFile))).collectAsync();
        try {
            return job.get().get(0);
        } catch (InterruptedException e) {
            job.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new DescentException("the Spark task of a trial failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Runs {@code entryPoint.run(out, err, args)} in this JVM (an executor), its streams into the files. */
    private static int runHere(String entryPoint, String[] args, Path out, Path err) throws Exception {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintStream o = new PrintStream(Files.newOutputStream(out), true, "UTF-8");
             PrintStream e = new PrintStream(Files.newOutputStream(err, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND), true, "UTF-8")) {
            Object status = Class.forName(entryPoint).getMethod("run", PrintStream.class, PrintStream.class, String[].class)
                    .invoke(null, o, e, args);
            return (Integer) status;
        } catch (IOException e) {
            throw new DescentException("cannot write the trial's output " + out + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public int cores() {
        return spark.defaultParallelism();
    }

    @Override
    public void close() {
        spark.stop();
    }
}
