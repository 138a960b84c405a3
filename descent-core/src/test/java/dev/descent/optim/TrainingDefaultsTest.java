package dev.descent.optim;

import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import dev.descent.data.Normalizer;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer learns with its training defaults ({@link OptimizerRegistry#trainingSettings}
 * with nothing given: the row's training learning rate and its other defaults), as
 * {@code descent train} uses them without {@code --lr}: the MNIST MLP 784-64-10 (ReLU), trained
 * for {@value #EPOCHS} epochs in batches of {@value #BATCH} on the first {@value #TRAIN} training
 * images, must classify the first {@value #TEST} test images with at least {@value #BAR} accuracy.
 * The naive baseline, a constant class, gets at most 12.6% of them (the share of the most frequent
 * one); the optimizers get 0.77 to 0.86 (radam and lamb lowest, at their PyTorch and Keras rate 1e-3).
 */
class TrainingDefaultsTest {
    private static final int TRAIN = 2000;
    private static final int TEST = 1000;
    private static final int EPOCHS = 3;
    private static final int BATCH = 32;
    private static final double BAR = 0.70;
    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void load() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        assertTrue(root != null, "MNIST is needed: set DESCENT_DATA to a folder holding mnist/");
        Mnist.Split mnist = Mnist.load(Path.of(root, "mnist"));
        Dataset trainSlice = mnist.train().slice(0, TRAIN), testSlice = mnist.test().slice(0, TEST);
        Normalizer normalizer = Normalizer.fit(trainSlice.inputs(), Normalizer.Mode.GLOBAL);
        train = new Dataset(normalizer.apply(trainSlice.inputs()), trainSlice.targets());
        test = new Dataset(normalizer.apply(testSlice.inputs()), testSlice.targets());
    }

    @TestFactory
    Stream<DynamicTest> everyOptimizerLearnsWithItsTrainingDefaults() {
        return OptimizerRegistry.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Map<String, Double> settings = OptimizerRegistry.trainingSettings(name, Map.of());
            Sequential model = ModelSpec.parse("flatten dense(64) relu dense(10)")
                    .build(new int[] {1, 28, 28}, new SplittableRandom(1));
            Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(),
                    new Optimizer(OptimizerRegistry.create(name, settings), model)).epochs(EPOCHS).batchSize(BATCH).seed(1);
            trainer.fit(train, null);
            double accuracy = trainer.evaluate(test).accuracy();
            System.out.printf("%-28s lr %-8s test accuracy %.4f%n", name, settings.get("lr"), accuracy);
            assertTrue(accuracy >= BAR, name + " with " + settings + " reached " + accuracy);
        }));
    }
}
