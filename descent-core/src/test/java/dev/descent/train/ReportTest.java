package dev.descent.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics against values worked out by hand. */
class ReportTest {
    @Test
    void threeClassesByHand() {
        double[][] p = {
                {0.7, 0.2, 0.1}, // true 0, predicted 0
                {0.5, 0.4, 0.1}, // true 1, predicted 0
                {0.1, 0.8, 0.1}, // true 1, predicted 1
                {0.2, 0.2, 0.6}, // true 2, predicted 2
                {0.3, 0.4, 0.3}, // true 2, predicted 1
        };
        int[] y = {0, 1, 1, 2, 2};
        ClassificationReport r = ClassificationReport.of(p, y, 3);
        assertArrayEquals(new long[] {1, 0, 0}, r.confusion()[0]);
        assertArrayEquals(new long[] {1, 1, 0}, r.confusion()[1]);
        assertArrayEquals(new long[] {0, 1, 1}, r.confusion()[2]);
        assertEquals(3.0 / 5, r.accuracy(), 1e-12);
        // recall 1, 1/2, 1/2; precision 1/2, 1/2, 1
        assertEquals(2.0 / 3, r.balancedAccuracy(), 1e-12);
        assertEquals(0.5, r.precision(0), 1e-12);
        assertEquals(1.0, r.precision(2), 1e-12);
        assertEquals(2 * 0.5 / 1.5, r.f1(0), 1e-12);
        assertEquals(0.5, r.f1(1), 1e-12);
        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, r.macroF1(), 1e-12);
        assertEquals(2.0 / 3, r.macroPrecision(), 1e-12);
        double logLoss = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 5;
        assertEquals(logLoss, r.logLoss(), 1e-12);
        assertTrue(Double.isNaN(r.rocAuc()));
        assertEquals(6, r.metrics().size());
    }

    @Test
    void rocAucByHandWithTies() {
        // scikit-learn's example: scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1 give 0.75
        ClassificationReport r = ClassificationReport.of(binary(0.1, 0.4, 0.35, 0.8), new int[] {0, 0, 1, 1}, 2);
        assertEquals(0.75, r.rocAuc(), 1e-12);
        // pairs (positive, negative): (0.5, 0.5) tie 1/2, (0.5, 0.2) 1, (0.9, 0.5) 1, (0.9, 0.2) 1: 3.5 / 4
        ClassificationReport ties = ClassificationReport.of(binary(0.5, 0.5, 0.2, 0.9), new int[] {1, 0, 0, 1}, 2);
        assertEquals(0.875, ties.rocAuc(), 1e-12);
        assertEquals(0.875, ties.metrics().get("roc_auc"), 1e-12);
        ClassificationReport oneClass = ClassificationReport.of(binary(0.2, 0.7), new int[] {1, 1}, 2);
        assertTrue(Double.isNaN(oneClass.rocAuc()));
    }

    private static double[][] binary(double... positive) {
        double[][] p = new double[positive.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {1 - positive[i], positive[i]};
        }
        return p;
    }

    @Test
    void regressionByHand() {
        RegressionReport r = RegressionReport.of(new double[] {2, 4, 5}, new double[] {1, 4, 7});
        // errors 1, 0, -2: SSE 5, SAE 3; mean 4, SST 9 + 0 + 9 = 18
        assertEquals(Math.sqrt(5.0 / 3), r.rmse(), 1e-12);
        assertEquals(1.0, r.mae(), 1e-12);
        assertEquals(1 - 5.0 / 18, r.r2(), 1e-12);
        assertTrue(Double.isNaN(RegressionReport.of(new double[] {1, 2}, new double[] {3, 3}).r2()));
    }

    @Test
    void baselineFrequenciesPredictTheMajorityClass() {
        double[] f = Baseline.classFrequencies(new int[] {2, 0, 2, 2}, 3);
        assertArrayEquals(new double[] {0.25, 0, 0.75}, f, 1e-12);
        ClassificationReport r = ClassificationReport.of(new double[][] {f, f}, new int[] {2, 0}, 3);
        assertEquals(0.5, r.accuracy(), 1e-12);
        assertEquals(-(Math.log(0.75) + Math.log(0.25)) / 2, r.logLoss(), 1e-12);
    }
}
