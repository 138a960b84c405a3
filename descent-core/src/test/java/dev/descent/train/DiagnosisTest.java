package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import dev.descent.data.Normalizer;
import dev.descent.loss.Loss;
import dev.descent.nn.Linear;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three runs of the lecture's pragmatics, each diagnosed with the right epoch or step: a tiny
 * MNIST subset without regularization overfits, a far too small learning rate underfits, and a huge
 * one diverges.
 */
class DiagnosisTest {
    private static Dataset tinyTrain;
    private static Dataset validation;

    @BeforeAll
    static void load() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        assertTrue(root != null, "MNIST is needed: set DESCENT_DATA to a folder holding mnist/");
        Mnist.Split mnist = Mnist.load(Path.of(root, "mnist"));
        Dataset train = mnist.train().slice(0, 256), val = mnist.test().slice(0, 1000);
        Normalizer normalizer = Normalizer.fit(train.inputs(), Normalizer.Mode.GLOBAL);
        tinyTrain = new Dataset(normalizer.apply(train.inputs()), train.targets());
        validation = new Dataset(normalizer.apply(val.inputs()), val.targets());
    }

    private record Run(List<EpochStats> history, DiagnosisCollector collector, Diagnosis diagnosis) {
    }

    private static Run mnistRun(double lr, int epochs) {
        Sequential model = ModelSpec.parse("flatten dense(256) relu dense(10)").build(new int[] {1, 28, 28}, new SplittableRandom(3));
        Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(), new Optimizer(Optimizers.adam(lr), model)).epochs(epochs).batchSize(32).seed(5);
        DiagnosisCollector collector = new DiagnosisCollector(validation.inputs().slice(0, 0, 200));
        trainer.addCallback(collector);
        List<EpochStats> history = trainer.fit(tinyTrain, validation);
        Diagnosis d = Diagnosis.of(new Diagnosis.Inputs(history, trainer.evaluate(validation),
                Baseline.evaluate(Task.CLASSIFICATION, tinyTrain, validation), Task.CLASSIFICATION,
                collector.divergence(), collector.gradientNorms(), collector.deadRelu(), 0));
        return new Run(history, collector, d);
    }

    @Test
    void aTinySubsetWithoutRegularizationOverfitsFromTheEpochAfterTheLowestValidationLoss() {
        Run run = mnistRun(1e-3, 30);
        int best = 1;
        for (EpochStats e : run.history()) {
            if (e.validationLoss() < run.history().get(best - 1).validationLoss()) {
                best = e.epoch();
            }
        }
        assertTrue(best > 1 && best < 25, "the validation loss should fall first, then rise; lowest at epoch " + best);
        Diagnosis.Finding overfitting = run.diagnosis().find(Diagnosis.Kind.OVERFITTING);
        assertNotNull(overfitting, run.diagnosis().lines().toString());
        assertEquals(best + 1, overfitting.epoch());
        assertNull(run.diagnosis().find(Diagnosis.Kind.UNDERFITTING));
        assertNull(run.diagnosis().find(Diagnosis.Kind.DIVERGING));
        assertNotNull(run.diagnosis().find(Diagnosis.Kind.BEATS_BASELINE));
        assertEquals(4, run.diagnosis().gradientNorms().size());            // fc1 and fc2, weight and bias
        assertTrue(run.diagnosis().gradientNorms().values().stream().allMatch(g -> g > 0));
        assertEquals(1, run.diagnosis().deadRelu().size());
        double dead = run.diagnosis().deadRelu().values().iterator().next();
        assertTrue(dead >= 0 && dead < 0.5, "dead share " + dead);
    }

    @Test
    void aFarTooSmallLearningRateUnderfits() {
        Run run = mnistRun(1e-7, 4);
        Diagnosis.Finding underfitting = run.diagnosis().find(Diagnosis.Kind.UNDERFITTING);
        assertNotNull(underfitting, run.diagnosis().lines().toString());
        assertEquals(4, underfitting.epoch());
        assertNull(run.diagnosis().find(Diagnosis.Kind.OVERFITTING));
        assertNull(run.diagnosis().find(Diagnosis.Kind.DIVERGING));
    }

    @Test
    void aHugeLearningRateOnMnistIsDivergingAtTheFirstStepWhoseLossExceedsTenTimesTheFirst() {
        Sequential model = ModelSpec.parse("flatten dense(256) relu dense(10)").build(new int[] {1, 28, 28}, new SplittableRandom(3));
        Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(), new Optimizer(Optimizers.sgd(50), model)).epochs(3).batchSize(32).seed(5);
        DiagnosisCollector collector = new DiagnosisCollector(null);
        List<Double> losses = new ArrayList<>();
        trainer.addCallback(new Callback() {
            @Override
            public void onBatchEnd(Trainer t, int epoch, int batch, int batches, double loss) {
                losses.add(loss);
            }
        });
        trainer.addCallback(collector);
        try {
            trainer.fit(tinyTrain, validation);
        } catch (TrainingDivergedException e) {
            collector.diverged(e);
        }
        int expected = 0;
        for (int k = 0; k < losses.size() && expected == 0; k++) {
            if (!(losses.get(k) <= 10 * losses.get(0))) {
                expected = k + 1;
            }
        }
        assertTrue(expected > 1, "the loss should explode within the run: " + losses);
        assertEquals(expected, collector.divergence().step());
    }

    /** 8 copies of x = 1 with target 0 and a model p = w·x + b: SGD at lr 1 maps p to −3p, so the loss grows 9× per step. */
    @Test
    void aHugeLearningRateDivergesAtStepThreeOfAGeometricBlowUp() {
        Dataset data = new Dataset(Tensor.ones(8, 1), Tensor.zeros(8, 1));
        Sequential model = new Sequential(new Linear(1, 1, new SplittableRandom(2)));
        Trainer trainer = new Trainer(model, Loss.mse(), new Optimizer(Optimizers.sgd(1), model)).epochs(10).batchSize(8).seed(1).task(Task.REGRESSION);
        DiagnosisCollector collector = new DiagnosisCollector(null);
        trainer.addCallback(collector);
        List<EpochStats> history = trainer.fit(data, null);
        assertEquals(81, history.get(2).trainLoss() / history.get(0).trainLoss(), 1e-2);  // 1, 9, 81: step 3 passes 10×
        Diagnosis d = Diagnosis.of(new Diagnosis.Inputs(history, null, null, Task.REGRESSION,
                collector.divergence(), collector.gradientNorms(), collector.deadRelu(), 0));
        Diagnosis.Finding diverging = d.find(Diagnosis.Kind.DIVERGING);
        assertNotNull(diverging);
        assertEquals(3, diverging.step());
        assertEquals(3, diverging.epoch());
        assertTrue(diverging.message().contains("lower the learning rate"), diverging.message());
    }

    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheFirstExplodingStep() {
        Dataset data = new Dataset(Tensor.ones(8, 1), Tensor.zeros(8, 1));
        Sequential model = new Sequential(new Linear(1, 1, new SplittableRandom(2)));
        Trainer trainer = new Trainer(model, Loss.mse(), new Optimizer(Optimizers.sgd(1), model)).epochs(200).batchSize(8).seed(1).task(Task.REGRESSION);
        DiagnosisCollector collector = new DiagnosisCollector(null);
        trainer.addCallback(collector);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(data, null));
        assertTrue(e.step() > 3 && e.step() < 200, "step " + e.step());
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        collector.diverged(e);
        assertEquals(3, collector.divergence().step());
    }

    @Test
    void overfittingNeedsTheValidationLossToRiseWhileTheTrainingLossFalls() {
        List<EpochStats> rising = List.of(stats(1, 1.0, 0.8), stats(2, 0.6, 0.5), stats(3, 0.3, 0.6), stats(4, 0.1, 0.7));
        Diagnosis d = Diagnosis.of(new Diagnosis.Inputs(rising, null, null, Task.CLASSIFICATION, null, Map.of(), Map.of(), 2));
        assertEquals(3, d.find(Diagnosis.Kind.OVERFITTING).epoch());
        assertTrue(d.find(Diagnosis.Kind.OVERFITTING).message().contains("early stopping kept the weights of epoch 2"));
        List<EpochStats> bothRising = List.of(stats(1, 1.0, 0.8), stats(2, 0.6, 0.5), stats(3, 0.7, 0.6));
        assertNull(Diagnosis.of(new Diagnosis.Inputs(bothRising, null, null, Task.CLASSIFICATION, null, Map.of(), Map.of(), 0))
                .find(Diagnosis.Kind.OVERFITTING));
        List<EpochStats> noise = List.of(stats(1, 1.0, 0.8), stats(2, 0.6, 0.5), stats(3, 0.5, 0.505), stats(4, 0.45, 0.509));
        assertNull(Diagnosis.of(new Diagnosis.Inputs(noise, null, null, Task.CLASSIFICATION, null, Map.of(), Map.of(), 0))
                .find(Diagnosis.Kind.OVERFITTING));
    }

    @Test
    void deadReluUnitsAreThoseThatNeverFireOnTheProbe() {
        Linear layer = new Linear(2, 4, new SplittableRandom(1));
        layer.weight().copyFromInPlace(Tensor.of(new float[] {1, 0, -1, 0, 0, 1, 0, -1}, 4, 2));
        layer.bias().fillInPlace(0);
        Sequential model = new Sequential(layer, dev.descent.nn.Activation.relu());
        Tensor probe = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);     // units 3 and 4 output −x: dead on this probe
        assertEquals(0.5, DiagnosisCollector.deadReluShares(model, probe).get("1"), 1e-12);
    }

    private static EpochStats stats(int epoch, double trainLoss, double validationLoss) {
        return new EpochStats(epoch, epoch, trainLoss, 0.5, validationLoss, 0.5, Double.NaN, 1, 1);
    }
}
