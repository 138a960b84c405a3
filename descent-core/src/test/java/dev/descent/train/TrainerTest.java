package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    /** Two Gaussian blobs around (−2, 0) and (2, 0): class = which side of x = 0, with a 3:1 class ratio. */
    private static Dataset blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4 == 0 ? 1 : 0;
            x[2 * i] = (float) ((y[i] == 1 ? 2 : -2) + 0.5 * rng.nextGaussian());
            x[2 * i + 1] = (float) rng.nextGaussian();
        }
        return new Dataset(Tensor.wrap(x, n, 2), Tensor.wrap(y, n));
    }

    private static Trainer trainer(Sequential model, double lr, int epochs) {
        return new Trainer(model, Loss.softmaxCrossEntropy(), new Optimizer(Optimizers.sgd(lr), model)).epochs(epochs).batchSize(16).seed(7);
    }

    @Test
    void learnsASeparableProblemAndBeatsTheBaseline() {
        Sequential model = new Sequential(new Linear(2, 2, new SplittableRandom(1)));
        Trainer trainer = trainer(model, 0.5, 5);
        Dataset train = blobs(400, 1), test = blobs(200, 2);
        List<EpochStats> history = trainer.fit(train, test);
        assertEquals(5, history.size());
        assertTrue(history.get(4).trainLoss() < history.get(0).trainLoss());
        Evaluation e = trainer.evaluate(test);
        Evaluation baseline = Baseline.evaluate(Task.CLASSIFICATION, train, test);
        assertEquals(0.75, baseline.accuracy(), 1e-12);                     // the majority class is 0 (3 of 4)
        assertEquals(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), baseline.loss(), 1e-9);
        assertTrue(e.accuracy() > 0.97, "accuracy " + e.accuracy());
        assertEquals(history.get(4).validationLoss(), e.loss(), 1e-6);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Sequential model = new Sequential(new Linear(2, 2, new SplittableRandom(1)));
        Trainer trainer = trainer(model, 0.1, 10);
        EarlyStopping stopping = new EarlyStopping(2, 0.0, true);
        Tensor weight = model.namedParameters().get("0.weight");
        float[] best = null;
        double[] validationLosses = {0.9, 0.5, 0.6, 0.7, 0.4};
        for (int epoch = 1; epoch <= 4; epoch++) {
            weight.fillInPlace(epoch);
            if (epoch == 2) {
                best = weight.toFloatArray();
            }
            stopping.onEpochEnd(trainer, new EpochStats(epoch, epoch, 1, 0.5, validationLosses[epoch - 1], 0.5, Double.NaN, 1, 1));
            if (stopping.stoppedEpoch() > 0) {
                break;
            }
        }
        assertEquals(4, stopping.stoppedEpoch());     // epochs 3 and 4 did not improve on epoch 2
        assertEquals(2, stopping.bestEpoch());
        stopping.onTrainEnd(trainer);
        assertArrayEquals(best, weight.toFloatArray());
    }

    @Test
    void aDivergingRunIsReportedWithTheStepAndTheFix() {
        Sequential model = new Sequential(new Linear(2, 1, new SplittableRandom(3)));
        float[] y = new float[64];
        Dataset data = new Dataset(Tensor.rand(new SplittableRandom(4), 64, 2).mul(100), Tensor.wrap(y, 64, 1));
        Trainer trainer = new Trainer(model, Loss.mse(), new Optimizer(Optimizers.sgd(1e6), model)).epochs(50).batchSize(8).seed(1).task(Task.REGRESSION);
        DescentException e = assertThrows(DescentException.class, () -> trainer.fit(data, null));
        assertTrue(e.getMessage().startsWith("training diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }
}
