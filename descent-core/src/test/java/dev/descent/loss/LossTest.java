package dev.descent.loss;

import dev.descent.DescentException;
import dev.descent.autograd.GradCheck;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {
    private static final double LN2 = Math.log(2);

    private static Tensor t(double[] v, int... dims) {
        return Tensor.of(v, dims);
    }

    private static double value(Loss loss, Tensor prediction, Tensor target) {
        return loss.apply(prediction, target).item();
    }

    @Test
    void regressionLossesByHand() {
        Tensor p = t(new double[] {1, 2, 3}, 3), y = t(new double[] {1, 0, 5}, 3);
        // d = (0, 2, −2): mse = (0 + 4 + 4)/3, mae = (0 + 2 + 2)/3
        assertEquals(8.0 / 3, value(Loss.mse(), p, y), 1e-12);
        assertEquals(4.0 / 3, value(Loss.mae(), p, y), 1e-12);
        // δ = 1, d = (0.5, 2, −3): 0.5²/2 = 0.125, 1·(2 − 0.5) = 1.5, 1·(3 − 0.5) = 2.5 → 4.125/3
        assertEquals(1.375, value(Loss.huber(), t(new double[] {0.5, 2, -3}, 3), t(new double[3], 3)), 1e-12);
    }

    @Test
    void classificationLossesByHand() {
        // z = (0, 2), y = (1, 0): (softplus(0) − 0 + softplus(2) − 0)/2 = (ln 2 + ln(1 + e²))/2
        assertEquals((LN2 + Math.log1p(Math.exp(2))) / 2,
                value(Loss.binaryCrossEntropyWithLogits(), t(new double[] {0, 2}, 2), t(new double[] {1, 0}, 2)), 1e-12);
        // rows (0, 0) label 0: ln(1 + 1) − 0 = ln 2; (ln 3, 0) label 1: ln(3 + 1) − 0 = 2 ln 2 → mean 1.5 ln 2
        Tensor z = t(new double[] {0, 0, Math.log(3), 0}, 2, 2);
        assertEquals(1.5 * LN2, value(Loss.softmaxCrossEntropy(), z, t(new double[] {0, 1}, 2)), 1e-12);
        assertEquals(1.5 * LN2, value(Loss.softmaxCrossEntropy(), z, t(new double[] {1, 0, 0, 1}, 2, 2)), 1e-12);
        // −(ln 0.5 + ln 0.25)/2 = 1.5 ln 2
        Tensor logp = t(new double[] {Math.log(0.5), Math.log(0.5), Math.log(0.25), Math.log(0.75)}, 2, 2);
        assertEquals(1.5 * LN2, value(Loss.nll(), logp, t(new double[] {1, 0}, 2)), 1e-12);
    }

    @Test
    void klDivergenceByHandWithZeroTargets() {
        // p row 0 = (0.5, 0.5), q = (0.25, 0.75): 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.5 ln 2 + 0.5 ln(2/3)
        // p row 1 = (1, 0),     q = (0.5, 0.5):   1 ln(1/0.5) + 0 (0·ln 0 = 0)      = ln 2
        // batchmean: sum / 2
        Tensor logq = t(new double[] {Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)}, 2, 2);
        Tensor p = t(new double[] {0.5, 0.5, 1, 0}, 2, 2);
        double expected = (0.5 * LN2 + 0.5 * Math.log(2.0 / 3) + LN2) / 2;
        assertEquals(expected, value(Loss.klDivergence(), logq, p), 1e-12);
        // a zero-probability class whose log q is −∞ contributes nothing
        Tensor certain = t(new double[] {0, Double.NEGATIVE_INFINITY}, 1, 2);
        assertEquals(0, value(Loss.klDivergence(), certain, t(new double[] {1, 0}, 1, 2)), 1e-12);
    }

    @Test
    void everyLossPassesAGradientCheck() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.normal(rng, DType.FLOAT64, Shape.of(3, 4), 0, 1);
        Tensor real = Tensor.normal(rng, DType.FLOAT64, Shape.of(3, 4), 0, 2); // |x − real| ≠ 0, ≠ δ
        Tensor bits = real.gt(0);
        Tensor soft = real.softmax(1);
        Tensor labels = t(new double[] {2, 0, 3}, 3);
        check(Loss.mse(), x, real);
        check(Loss.mae(), x, real);
        check(Loss.huber(0.7), x, real);
        check(Loss.binaryCrossEntropyWithLogits(), x, bits);
        check(Loss.softmaxCrossEntropy(), x, labels);
        check(Loss.softmaxCrossEntropy(), x, soft);
        check((logits, y) -> Loss.nll().apply(logits.logSoftmax(1), y), x, labels);
        check((logits, p) -> Loss.klDivergence().apply(logits.logSoftmax(1), p), x, soft.mul(bits).add(1e-3));
    }

    @Test
    void crossEntropyOverEveryStepOfASequence() {
        // logits [N=2, T=3, C=4] against indices [2, 3]: the mean over all six positions, as [6, 4] against [6]
        SplittableRandom rng = new SplittableRandom(8);
        Tensor z = Tensor.normal(rng, DType.FLOAT64, Shape.of(2, 3, 4), 0, 1);
        Tensor labels = t(new double[] {0, 3, 1, 2, 2, 0}, 2, 3);
        double flat = value(Loss.softmaxCrossEntropy(), z.reshape(6, 4), labels.reshape(6));
        assertEquals(flat, value(Loss.softmaxCrossEntropy(), z, labels), 1e-15);
        double byHand = 0;
        for (int i = 0; i < 6; i++) {
            Tensor row = z.reshape(6, 4).slice(0, i, i + 1);
            byHand += row.logSumExp(1, false).item() - row.get(0, (int) labels.storage().get(i));
        }
        assertEquals(byHand / 6, flat, 1e-12);
        check(Loss.softmaxCrossEntropy(), z, labels);
        check(Loss.softmaxCrossEntropy(), z, Tensor.normal(rng, DType.FLOAT64, Shape.of(2, 3, 4), 0, 1).softmax(2));
        assertEquals(2 * 1.5, Loss.bitsPerCharacter(2 * 1.5 * LN2), 1e-12);
        DescentException e = assertThrows(DescentException.class, () -> Loss.softmaxCrossEntropy().apply(z, labels.reshape(3, 2)));
        assertEquals("softmax cross-entropy wants targets [2, 3] (class indices) or [2, 3, 4] for scores [2, 3, 4]; got [3, 2]",
                e.getMessage());
    }

    private static void check(Loss loss, Tensor prediction, Tensor target) {
        GradCheck.assertGradients(xs -> loss.apply(xs.get(0), target), List.of(prediction));
    }

    @Test
    void extremeLogitsGiveFiniteCorrectLossesAndGradients() {
        float big = 1e4f;
        // BCE: z = (1e4, −1e4, 1e4), y = (1, 1, 0): losses 0, 1e4, 1e4 → mean 2e4/3
        assertStable(Loss.binaryCrossEntropyWithLogits(), Tensor.of(new float[] {big, -big, big}, 3),
                Tensor.of(new float[] {1, 1, 0}, 3), 2e4 / 3);
        // softmax CE: z = (1e4, −1e4, 0), label 1: ln Σ e^z − z_1 = 1e4 + 1e4 = 2e4
        assertStable(Loss.softmaxCrossEntropy(), Tensor.of(new float[] {big, -big, 0}, 1, 3),
                Tensor.of(new float[] {1}, 1), 2e4);
        // KL of p = (0.5, 0.5) from q = softmax(1e4, −1e4) = (1, e^−2e4): 0.5 ln 0.5 + 0.5 (ln 0.5 + 2e4)
        Loss kl = (z, p) -> Loss.klDivergence().apply(z.logSoftmax(1), p);
        assertStable(kl, Tensor.of(new float[] {big, -big}, 1, 2), Tensor.of(new float[] {0.5f, 0.5f}, 1, 2),
                1e4 - LN2);
    }

    private static void assertStable(Loss loss, Tensor logits, Tensor target, double expected) {
        logits.requiresGrad(true);
        Tensor l = loss.apply(logits, target);
        assertEquals(expected, l.item(), 1e-6 * Math.abs(expected) + 1e-6);
        l.backward();
        for (double g : logits.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g), "gradient " + g);
        }
    }

    @Test
    void mismatchedShapesAndBadLabelsAreUserErrors() {
        Tensor p = Tensor.zeros(4, 1);
        DescentException e = assertThrows(DescentException.class, () -> Loss.mse().apply(p, Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("[4, 1]"), e.getMessage());
        assertThrows(DescentException.class, () -> Loss.softmaxCrossEntropy().apply(Tensor.zeros(2, 3), Tensor.of(new float[] {0, 3}, 2)));
        assertThrows(DescentException.class, () -> Loss.nll().apply(Tensor.zeros(2, 3), Tensor.of(new float[] {0.5f, 1}, 2)));
    }
}
