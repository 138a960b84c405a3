package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same seed trains to the same weights and losses with one thread or two. */
class ThreadCountTest {

    private static List<Object> train(int threads) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            SplittableRandom rng = new SplittableRandom(5);
            Tensor x = Tensor.rand(rng, 512, 1, 28, 28);
            float[] y = new float[512];
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextInt(10);
            }
            Sequential model = ModelSpec.parse("flatten dense(300) relu dropout(0.2) dense(200) relu dense(10)")
                    .build(new int[] {1, 28, 28}, new SplittableRandom(1));
            Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(),
                    new Optimizer(OptimizerRegistry.create("adam", Map.of()), model),
                    new Trainer.Config(2, 128, 3, false, Task.CLASSIFICATION, 0), null);
            List<EpochStats> history = trainer.fit(new Dataset(x, Tensor.wrap(y, 512)), null);
            return List.of(history.get(1).trainLoss(), model.namedParameters().get("fc1.weight").toFloatArray());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameRun() {
        List<Object> one = train(1), two = train(2);
        assertEquals((double) one.get(0), (double) two.get(0), 0.0);
        assertArrayEquals((float[]) one.get(1), (float[]) two.get(1));
    }
}
