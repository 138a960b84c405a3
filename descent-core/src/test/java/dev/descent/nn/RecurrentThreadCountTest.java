package dev.descent.nn;

import dev.descent.data.Dataset;
import dev.descent.data.Task;
import dev.descent.data.text.TextCorpus;
import dev.descent.loss.Loss;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;
import dev.descent.train.EpochStats;
import dev.descent.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same seed trains a recurrent network to the same weights and losses with one thread or two (as ThreadCountTest). */
class RecurrentThreadCountTest {

    /** The second epoch's training loss followed by every parameter's values, after training {@code spec}. */
    private static List<Object> train(int threads, String spec, int[] example, Dataset data, Task task) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Sequential model = ModelSpec.parse(spec).build(example, new SplittableRandom(1));
            Trainer trainer = new Trainer(model, Loss.softmaxCrossEntropy(),
                    new Optimizer(OptimizerRegistry.create("adam", Map.of()), model)).epochs(2).batchSize(32).seed(3).task(task);
            List<EpochStats> history = trainer.fit(data, null);
            List<Object> result = new ArrayList<>();
            result.add(history.get(1).trainLoss());
            model.namedParameters().values().forEach(p -> result.add(p.toFloatArray()));
            return result;
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void assertSameRun(String spec, int[] example, Dataset data, Task task) {
        List<Object> one = train(1, spec, example, data, task), two = train(2, spec, example, data, task);
        assertEquals((double) one.get(0), (double) two.get(0), 0.0);
        for (int i = 1; i < one.size(); i++) {
            assertArrayEquals((float[]) one.get(i), (float[]) two.get(i), "parameter " + i);
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameRunOfImagesReadRowByRow() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] labels = new float[96];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Dataset data = new Dataset(Tensor.rand(rng, 96, 1, 12, 12), Tensor.wrap(labels, 96));
        assertSameRun("lstm(20,layers=2,bidirectional=true,dropout=0.2) dense(10)", new int[] {1, 12, 12}, data,
                Task.CLASSIFICATION);
        assertSameRun("gru(20) dense(10)", new int[] {1, 12, 12}, data, Task.CLASSIFICATION);
    }

    @Test
    void oneAndTwoThreadsGiveTheSameRunOfACharacterModel() {
        int[] ids = new SplittableRandom(6).ints(96 * 10 + 1, 0, 20).toArray();
        assertSameRun("embedding(20,8) rnn(12,seq=true) lstm(12,seq=true) dense(20)", new int[] {10},
                TextCorpus.windows(ids, 10), Task.REGRESSION);
    }
}
