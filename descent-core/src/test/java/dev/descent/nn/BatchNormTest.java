package dev.descent.nn;

import dev.descent.io.Checkpoint;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class BatchNormTest {
    private static final String SPEC = "conv(4,3,padding=1) batchnorm relu maxpool(2) flatten dense(6) batchnorm relu dense(3)";

    /** A network whose running statistics have moved away from (0, 1) by a few training steps. */
    private static Module trained(long seed) {
        Sequential net = ModelSpec.parse(SPEC).build(new int[] {2, 6, 6}, new SplittableRandom(seed));
        for (int step = 0; step < 3; step++) {
            net.forward(Tensor.randn(new SplittableRandom(seed + step), 8, 2, 6, 6).mul(2).add(1));
        }
        return net.eval();
    }

    @Test
    void evaluationGivesEachExampleTheSameOutputAloneOrInABatch() {
        Module net = trained(5);
        Tensor batch = Tensor.randn(new SplittableRandom(11), 5, 2, 6, 6);
        float[] together = net.forward(batch).toFloatArray();
        for (int i = 0; i < 5; i++) {
            float[] alone = net.forward(batch.slice(0, i, i + 1)).toFloatArray();
            float[] row = java.util.Arrays.copyOfRange(together, i * 3, i * 3 + 3);
            assertArrayEquals(row, alone, "example " + i);
        }
    }

    @Test
    void trainingUpdatesRunningStatisticsWithMomentum() {
        BatchNorm bn = new BatchNorm(1, 1e-5, 0.25, true);
        bn.forward(Tensor.of(new float[] {1, 3, 5, 7}, 4, 1));   // mean 4, unbiased variance 20/3
        Map<String, Tensor> buffers = bn.namedBuffers();
        assertEquals(0.75 * 0 + 0.25 * 4, buffers.get("running_mean").item(), 1e-6);
        assertEquals(0.75 * 1 + 0.25 * 20 / 3.0, buffers.get("running_var").item(), 1e-6);
        bn.eval().forward(Tensor.of(new float[] {100}, 1, 1));
        assertEquals(1.0, bn.namedBuffers().get("running_mean").item(), 1e-6, "evaluation leaves the statistics alone");
    }

    @Test
    void checkpointRestoresRunningStatistics(@TempDir Path dir) {
        Module net = trained(5);
        Checkpoint.save(dir, net.namedTensors(), Map.of("model", SPEC), null);
        Module fresh = ModelSpec.parse(SPEC).build(new int[] {2, 6, 6}, new SplittableRandom(99)).eval();
        Tensor x = Tensor.randn(new SplittableRandom(12), 3, 2, 6, 6);
        assertNotEquals(net.namedBuffers().get("bn1.running_mean").toFloatArray()[0],
                fresh.namedBuffers().get("bn1.running_mean").toFloatArray()[0]);
        Checkpoint.load(dir).applyTo(fresh);
        net.namedBuffers().forEach((name, t) -> assertArrayEquals(t.toFloatArray(), fresh.namedBuffers().get(name).toFloatArray(), name));
        assertArrayEquals(net.forward(x).toFloatArray(), fresh.forward(x).toFloatArray());
    }
}
