package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Linear;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.OutputInit;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A binary head of one logit: accuracy thresholds the logit at 0, probabilities are [1 − σ(z), σ(z)]. */
class BinaryHeadTest {
    @Test
    void accuracyAndProbabilitiesOfOneLogit() {
        Model m = Model.build(ModelSpec.parse("dense(1)"), Task.CLASSIFICATION, new int[] {1}, List.of("0", "1"), null, null, 1);
        Linear head = (Linear) m.network().children().values().iterator().next();
        Tensor targets = Tensor.of(new float[] {1, 0, 0, 0}, 4, 1);
        OutputInit.SIGMOID.apply(head, targets); // W = 0, b = ln(0.25 / 0.75)
        head.setParameter("weight", Tensor.of(new float[] {2}, 1, 1));
        Tensor x = Tensor.of(new float[] {1, -1, 0.2f, 0.9f}, 4, 1);
        // logits 2·x + ln(1/3) = 0.901, -3.099, -0.699, 0.701: predicted 1, 0, 0, 1 against 1, 0, 0, 0
        Evaluation e = Trainer.evaluate(m.network(), Loss.binaryCrossEntropyWithLogits(), Task.CLASSIFICATION,
                new Dataset(x, targets));
        assertEquals(0.75, e.accuracy(), 1e-12);
        Prediction p = m.predict(x);
        assertEquals(2, p.probabilities()[0].length);
        double z = 2 * 1 + Math.log(1.0 / 3);
        assertEquals(1 / (1 + Math.exp(-z)), p.probabilities()[0][1], 1e-6);
        assertEquals(1 - 1 / (1 + Math.exp(-z)), p.probabilities()[0][0], 1e-6);
        assertArrayEquals(new int[] {1, 0, 0, 1}, p.classes());
    }
}
