package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local SGD's rounds without a cluster: with one share, a round of K local steps is K steps of
 * one machine (the mean over one share is that share), so the Trainer's rounds, the optimizer's
 * state and schedule travelling through {@link LocalSteps.State}, the step count and the dropout
 * masks must reproduce one machine's run; and the settings refuse what cannot run.
 */
class LocalStepsTest {
    /** A "cluster" of one share in this JVM: the driver's own model takes the share's steps. */
    private static final class OneShare implements BatchGradients {
        int rounds;

        @Override
        public Session start(Model model, Dataset train) {
            return new Session() {
                @Override
                public Step gradient(int[] rows, long maskSeed) {
                    throw new AssertionError("a run with local steps takes rounds, not synchronous steps");
                }

                @Override
                public Round round(LocalSteps plan, List<int[]> batches, long[] maskSeeds, Optimizer optimizer) {
                    rounds++;
                    List<LocalSteps.Part> parts = new ArrayList<>();
                    long rows = 0;
                    for (int j = 0; j < batches.size(); j++) {
                        int[] batch = batches.get(j);
                        parts.add(new LocalSteps.Part(train.subset(batch), IntStream.range(0, batch.length).toArray(),
                                batch.length, maskSeeds[j]));
                        rows += batch.length;
                    }
                    LocalSteps.State start = LocalSteps.State.of(optimizer.state());
                    LocalSteps.Sum sum = LocalSteps.Sum.empty(batches.size())
                            .add(plan.share(model, start, optimizer.stepCount(), parts, rows));
                    assertEquals(rows, sum.rows());
                    return sum.applyTo(model.network(), optimizer, batches.stream().mapToInt(b -> b.length).toArray());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static Dataset blobs() {
        SplittableRandom rng = new SplittableRandom(3);
        float[][] x = new float[200][4];
        int[] y = new int[200];
        for (int i = 0; i < x.length; i++) {
            y[i] = rng.nextInt(2);
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) (rng.nextGaussian() + (j % 2 == y[i] ? 1 : 0));
            }
        }
        return Dataset.of(x, y);
    }

    @Test
    void oneShareTakesOneMachinesSteps() {
        // Adam with the cosine schedule, L2 and dropout; 3 epochs of 6 batches: rounds of 4, then 2 at each epoch's end.
        TrainingSettings settings = TrainingSettings.defaults().epochs(3).batchSize(30).seed(5).optimizer("adam")
                .learningRate(0.02).schedule("cosine").l2(1e-3).validation(0.1);
        String spec = "dense(16) relu dropout(0.25) dense(2)";
        Model here = Model.classifier(spec), rounds = Model.classifier(spec);
        TrainingResult local = here.fit(blobs(), settings);
        OneShare share = new OneShare();
        TrainingResult averaged = rounds.fit(blobs(), settings.batchGradients(share).localSteps(4));

        assertEquals(6, share.rounds, "two rounds an epoch (4 + 2 batches)");
        for (int e = 0; e < 3; e++) {
            EpochStats a = local.history().get(e), b = averaged.history().get(e);
            assertEquals(a.step(), b.step(), "step count after epoch " + (e + 1));
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-6, "train loss of epoch " + (e + 1));
            assertEquals(a.validationLoss(), b.validationLoss(), 1e-6, "validation loss of epoch " + (e + 1));
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1e-12, "train accuracy of epoch " + (e + 1));
        }
        Map<String, Tensor> w = here.network().namedParameters(), v = rounds.network().namedParameters();
        for (String name : w.keySet()) {
            float[] a = w.get(name).toFloatArray(), b = v.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])), name + "[" + i + "]");
            }
        }
        assertTrue(local.history().get(2).trainLoss() < local.history().get(0).trainLoss(), "it learns");
    }

    @Test
    void refusesLocalStepsWithoutAClusterAndBelowOne() {
        DescentException none = assertThrows(DescentException.class,
                () -> Model.classifier("dense(2)").fit(blobs(), TrainingSettings.defaults().epochs(1).localSteps(4)));
        assertTrue(none.getMessage().contains("--spark"), none.getMessage());
        DescentException zero = assertThrows(DescentException.class, () -> TrainingSettings.defaults().localSteps(0));
        assertEquals("--local-steps must be 1 or more (1: synchronous steps), got 0", zero.getMessage());
    }
}
