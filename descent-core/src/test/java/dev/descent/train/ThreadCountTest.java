package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same seed trains to the same weights and losses with one thread or two. */
class ThreadCountTest {

    /** The second epoch's training loss followed by every parameter's values, after training {@code spec}. */
    private static List<Object> train(int threads, String spec, int size) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            SplittableRandom rng = new SplittableRandom(5);
            Tensor x = Tensor.rand(rng, 512, 1, size, size);
            float[] y = new float[512];
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextInt(10);
            }
            Sequential model = ModelSpec.parse(spec).build(new int[] {1, size, size}, new SplittableRandom(1));
            Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(),
                    new Optimizer(OptimizerRegistry.create("adam", Map.of()), model)).epochs(2).batchSize(128).seed(3);
            List<EpochStats> history = trainer.fit(new Dataset(x, Tensor.wrap(y, 512)), null);
            List<Object> result = new ArrayList<>();
            result.add(history.get(1).trainLoss());
            model.namedParameters().values().forEach(p -> result.add(p.toFloatArray()));
            return result;
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void assertSameRun(String spec, int size) {
        List<Object> one = train(1, spec, size), two = train(2, spec, size);
        assertEquals((double) one.get(0), (double) two.get(0), 0.0);
        for (int i = 1; i < one.size(); i++) {
            assertArrayEquals((float[]) one.get(i), (float[]) two.get(i), "parameter " + i);
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameRun() {
        assertSameRun("flatten dense(300) relu dropout(0.2) dense(200) relu dense(10)", 28);
    }

    @Test
    void oneAndTwoThreadsGiveTheSameConvolutionalRun() {
        assertSameRun("conv(8,3) relu conv(8,3,padding=same) relu maxpool(2) batchnorm flatten dense(10)", 12);
    }
}
