package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.train.Callback;
import dev.descent.train.EpochStats;
import dev.descent.train.Model;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingResult;
import dev.descent.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on a real standalone cluster (a master and two one-core workers on the loopback
 * address) in which one worker dies after the first step: Spark runs the lost tasks again on the
 * other worker, and the run ends with one machine's loss curve, nothing lost.
 */
class StandaloneClusterTest {
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aKilledWorkerCostsTimeNotCorrectness(@TempDir Path dir) throws Exception {
        TrainingSettings settings = TrainingSettings.defaults().epochs(2).batchSize(40).seed(3).optimizer("adam")
                .learningRate(0.01).validation(0.1);
        String spec = "dense(16) relu dropout(0.2) dense(3)";
        Dataset data = SparkTrainingTest.blobs(9);
        Model here = Model.classifier(spec);
        TrainingResult local = here.fit(data, settings);

        try (LoopbackCluster cluster = new LoopbackCluster(dir, 2);
             SparkCluster spark = SparkCluster.connect(cluster.url(), line -> { })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (spark.context().statusTracker().getExecutorInfos().length < 3) { // the driver and both workers' executors
                assertTrue(System.nanoTime() < deadline, "the two executors did not register in 90 s");
                Thread.sleep(200);
            }
            boolean[] killed = {false};
            Callback killer = new Callback() {
                @Override
                public void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
                    if (!killed[0]) {
                        cluster.kill(1);
                        killed[0] = true;
                    }
                }
            };
            Model there = Model.classifier(spec);
            TrainingResult result = there.fit(data, settings.batchGradients(spark).callbacks(killer));

            assertTrue(killed[0]);
            assertEquals(local.history().size(), result.history().size());
            for (int e = 0; e < local.history().size(); e++) {
                EpochStats a = local.history().get(e), b = result.history().get(e);
                assertEquals(a.trainLoss(), b.trainLoss(), SparkTrainingTest.TOLERANCE, "train loss of epoch " + (e + 1));
                assertEquals(a.validationLoss(), b.validationLoss(), SparkTrainingTest.TOLERANCE,
                        "validation loss of epoch " + (e + 1));
            }
        }
    }
}
