package dev.descent.spark;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import dev.descent.tensor.Tensor;
import dev.descent.train.EpochStats;
import dev.descent.train.Model;
import dev.descent.train.Setting;
import dev.descent.train.TrainingResult;
import dev.descent.train.TrainingRun;
import dev.descent.train.TrainingSettings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training in {@code local[2]} follows one machine's training at the same global
 * batch: same loss curve and weights up to float rounding (the gradient sums add in another order),
 * dropout included (each share gets its rows of one machine's masks).
 */
class SparkTrainingTest {
    /** Relative tolerance: float32 sums in another order, over 3 epochs of 12 steps. */
    static final double TOLERANCE = 1e-5;
    /** Absolute loss difference allowed between 4 local steps per round and synchronous steps. */
    static final double LOCAL_SGD_TOLERANCE = 0.05;
    /** The synchronous loss the local SGD test reaches (for its comment). */
    static final double SYNCHRONOUS_LOSS = 0.27;
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SparkCluster.connect("local[2]", line -> { });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Three blobs in 6 dimensions, 400 examples, classes 0..2. */
    static Dataset blobs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[400][6];
        int[] y = new int[400];
        for (int i = 0; i < x.length; i++) {
            y[i] = rng.nextInt(3);
            for (int j = 0; j < 6; j++) {
                x[i][j] = (float) (rng.nextGaussian() + (j % 3 == y[i] ? 1.5 : 0));
            }
        }
        return Dataset.of(x, y);
    }

    @Test
    void matchesOneMachineAtTheSameGlobalBatch() {
        TrainingSettings settings = TrainingSettings.defaults().epochs(3).batchSize(30).seed(11).optimizer("adam")
                .learningRate(0.01).validation(0.1).l2(1e-3);
        String spec = "dense(32) relu dropout(0.3) dense(3)";
        Dataset data = blobs(5);
        Model here = Model.classifier(spec);
        TrainingResult local = here.fit(data, settings);
        Model there = Model.classifier(spec);
        TrainingResult spark = there.fit(data, settings.batchGradients(cluster).localSteps(1));

        assertEquals(local.history().size(), spark.history().size());
        for (int e = 0; e < local.history().size(); e++) {
            EpochStats a = local.history().get(e), b = spark.history().get(e);
            assertClose(a.trainLoss(), b.trainLoss(), "train loss of epoch " + (e + 1));
            assertClose(a.validationLoss(), b.validationLoss(), "validation loss of epoch " + (e + 1));
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1.0 / 360, "train accuracy of epoch " + (e + 1));
        }
        assertTrue(local.history().get(2).trainLoss() < local.history().get(0).trainLoss(), "it learns");
        Map<String, Tensor> w = here.network().namedParameters(), v = there.network().namedParameters();
        for (String name : w.keySet()) {
            float[] a = w.get(name).toFloatArray(), b = v.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), name + "[" + i + "]");
            }
        }
    }

    /**
     * Local SGD (4 local steps per round, 2 shares, the weights and Adam's moments averaged) on the
     * blobs reaches nearly the loss of synchronous steps: within {@value #LOCAL_SGD_TOLERANCE} of it
     * after 6 epochs (where the synchronous loss is about {@value #SYNCHRONOUS_LOSS}), with the same
     * step count, and the rounds really differ from synchronous steps.
     */
    @Test
    void localStepsReachTheLossOfSynchronousSteps() {
        TrainingSettings settings = TrainingSettings.defaults().epochs(6).batchSize(30).seed(3).optimizer("adam")
                .learningRate(0.01).validation(0.1).batchGradients(cluster);
        String spec = "dense(32) relu dense(3)";
        Dataset data = blobs(7);
        Model synchronous = Model.classifier(spec), local = Model.classifier(spec);
        TrainingResult one = synchronous.fit(data, settings);
        TrainingResult four = local.fit(data, settings.localSteps(4));

        EpochStats a = one.history().getLast(), b = four.history().getLast();
        System.out.printf("local steps: K=1 train %.4f val %.4f acc %.4f; K=4 train %.4f val %.4f acc %.4f%n",
                a.trainLoss(), a.validationLoss(), a.validationAccuracy(), b.trainLoss(), b.validationLoss(), b.validationAccuracy());
        assertEquals(a.step(), b.step(), "a round of 4 local steps counts 4 steps");
        assertEquals(a.validationLoss(), b.validationLoss(), LOCAL_SGD_TOLERANCE, "validation loss after 6 epochs");
        assertEquals(a.trainLoss(), b.trainLoss(), LOCAL_SGD_TOLERANCE, "train loss of the 6th epoch");
        assertTrue(b.trainLoss() < four.history().getFirst().trainLoss() / 2, "local SGD learns");
        assertTrue(Math.abs(a.trainLoss() - b.trainLoss()) > 1e-6, "4 local steps are not synchronous steps");
    }

    /**
     * Batch normalization as PyTorch's DDP without SyncBatchNorm: each share normalizes with its own
     * rows' statistics, and the running statistics become the shares' mean weighted by rows. After one
     * step the running mean is then one machine's (a row-weighted mean of share means is the batch
     * mean) while the running variance is not; over 3 epochs it learns about as well as one machine, with local steps too.
     */
    @Test
    void batchNormalizesEachShareAndAveragesTheRunningStatistics() {
        String spec = "dense(16) batchnorm relu dense(3)";
        TrainingSettings settings = TrainingSettings.defaults().batchSize(40).seed(2).optimizer("adam").learningRate(0.01)
                .validation(0.1);
        Dataset data = blobs(3);
        Model here = Model.classifier(spec), there = Model.classifier(spec);
        here.fit(data, settings.epochs(1).with(Setting.MAX_STEPS, 1L));
        there.fit(data, settings.epochs(1).with(Setting.MAX_STEPS, 1L).batchGradients(cluster));
        Map<String, Tensor> a = here.network().namedBuffers(), b = there.network().namedBuffers();
        String mean = a.keySet().stream().filter(k -> k.endsWith("running_mean")).findFirst().orElseThrow();
        String variance = mean.replace("running_mean", "running_var");
        float[] meanHere = a.get(mean).toFloatArray(), meanThere = b.get(mean).toFloatArray();
        for (int i = 0; i < meanHere.length; i++) {
            assertEquals(meanHere[i], meanThere[i], 1e-5 * (1 + Math.abs(meanHere[i])), mean + "[" + i + "]");
        }
        assertTrue(Math.abs(meanThere[0]) > 1e-4, "the running mean came back from the shares");
        float[] varHere = a.get(variance).toFloatArray(), varThere = b.get(variance).toFloatArray();
        double differ = 0;
        for (int i = 0; i < varHere.length; i++) {
            differ = Math.max(differ, Math.abs(varHere[i] - varThere[i]));
        }
        assertTrue(differ > 1e-6, "each share's own variance, not the batch's");

        TrainingResult local = Model.classifier(spec).fit(data, settings.epochs(3));
        TrainingResult spark = Model.classifier(spec).fit(data, settings.epochs(3).batchGradients(cluster));
        assertEquals(local.history().getLast().validationAccuracy(), spark.history().getLast().validationAccuracy(), 0.1);
        assertTrue(spark.history().getLast().trainLoss() < spark.history().getFirst().trainLoss(), "it learns");
        Model averaged = Model.classifier(spec);
        TrainingResult rounds = averaged.fit(data, settings.epochs(3).batchGradients(cluster).localSteps(4));
        assertEquals(local.history().getLast().validationAccuracy(), rounds.history().getLast().validationAccuracy(), 0.1,
                "with local steps too");
        assertTrue(Math.abs(averaged.network().namedBuffers().get(mean).toFloatArray()[0]) > 1e-4,
                "the running statistics are averaged with the weights");
    }

    /**
     * {@code train FILE --spark}: a CSV file and the same rows as Parquet, read by Spark, train like
     * the CSV file read here (the same table pipeline: columns, splits, preprocessing; the training
     * follows one machine's to float rounding), {@code --features} picking the input columns.
     */
    @Test
    void tablesReadBySparkTrainLikeTablesReadHere(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder text = new StringBuilder("id,x0,x1,x2,x3,noise,kind\n");
        Dataset data = blobs(9);
        for (int i = 0; i < 200; i++) {
            float[] x = data.inputs().slice(0, i, i + 1).toFloatArray();
            text.append(String.format(Locale.ROOT, "r%d,%.5f,%.5f,%s,%.5f,%d,k%d%n", i, x[0], x[1],
                    i % 17 == 0 ? "" : String.format(Locale.ROOT, "%.5f", x[2]), x[3], i % 5, data.labels()[i]));
        }
        Files.writeString(csv, text);
        String parquet = dir.resolve("blobs.parquet").toString();
        SparkSession.builder().sparkContext(cluster.context().sc()).getOrCreate().read().option("header", "true")
                .option("inferSchema", "true").csv(csv.toString()).write().parquet(parquet); // typed columns, x2 with nulls
        TrainingSettings settings = TrainingSettings.defaults().epochs(2).seed(4)
                .with(Setting.FEATURES, List.of("x0", "x1", "x2", "x3")).with(Setting.TARGET, "kind");

        Map<String, Object> here = table(settings.with(Setting.DATASET, csv.toString()), dir.resolve("here"));
        Map<String, Object> sparkCsv = table(settings.with(Setting.DATASET, csv.toString()).batchGradients(cluster),
                dir.resolve("csv"));
        Map<String, Object> sparkParquet = table(settings.with(Setting.DATASET, parquet).batchGradients(cluster),
                dir.resolve("parquet"));
        for (Map<String, Object> spark : List.of(sparkCsv, sparkParquet)) {
            for (String key : List.of("test_accuracy", "val_loss", "baseline_accuracy")) {
                assertClose(Json.toDouble(here.get(key)), Json.toDouble(spark.get(key)), key);
            }
        }
        Map<String, Object> config = Json.parseObject(Files.readString(dir.resolve("parquet").resolve("config.json")));
        assertEquals(List.of("x0", "x1", "x2", "x3"), ((Map<?, ?>) config.get("settings")).get("features"));
        assertTrue(Json.toDouble(here.get("test_accuracy")) > 0.7, "it learns: " + here);

        DescentException header = assertThrows(DescentException.class, () -> table(settings.with(Setting.DATASET, parquet)
                .with(Setting.NO_HEADER, true).batchGradients(cluster), dir.resolve("no")));
        assertTrue(header.getMessage().contains("is Parquet, which names its columns itself"), header.getMessage());
        DescentException column = assertThrows(DescentException.class, () -> table(settings.with(Setting.DATASET, parquet)
                .with(Setting.FEATURES, List.of("x9")).batchGradients(cluster), dir.resolve("no")));
        assertTrue(column.getMessage().startsWith("feature column 'x9' is not in blobs.parquet"), column.getMessage());
    }

    private static Map<String, Object> table(TrainingSettings settings, Path out) {
        return TrainingRun.run(settings, new TrainingRun.Output(out, RunFolder.Mode.NEW, "test", "test"), line -> { })
                .summary();
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }
}
