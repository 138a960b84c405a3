package dev.descent.train;

import dev.descent.DescentException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics of predictions {@code ŷ_i} against targets {@code y_i}, in the target's units:
 * {@code RMSE = √((1/N) Σ (ŷ − y)²)}, {@code MAE = (1/N) Σ |ŷ − y|} and
 * {@code R² = 1 − Σ (ŷ − y)² / Σ (y − ȳ)²} (NaN when all targets are equal).
 *
 * @param rmse  root mean squared error
 * @param mae   mean absolute error
 * @param r2    coefficient of determination
 * @param count number of examples
 */
public record RegressionReport(double rmse, double mae, double r2, int count) implements Report {

    /** The report of {@code predicted[i]} against {@code truth[i]}. */
    public static RegressionReport of(double[] predicted, double[] truth) {
        if (predicted.length != truth.length || truth.length == 0) {
            throw new DescentException("a regression report needs one prediction per target, got " + predicted.length
                    + " predictions and " + truth.length + " targets");
        }
        int n = truth.length;
        double mean = 0;
        for (double y : truth) {
            mean += y / n;
        }
        double sse = 0, sae = 0, sst = 0;
        for (int i = 0; i < n; i++) {
            double d = predicted[i] - truth[i];
            sse += d * d;
            sae += Math.abs(d);
            sst += (truth[i] - mean) * (truth[i] - mean);
        }
        return new RegressionReport(Math.sqrt(sse / n), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst, n);
    }

    /** rmse, mae, r2. */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse);
        m.put("mae", mae);
        m.put("r2", r2);
        return m;
    }
}
