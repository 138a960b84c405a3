package dev.descent.train;

import java.util.Map;

/** A model's scores on a data set, by name ({@code accuracy}, {@code rmse}, ...), for tables and JSON. */
public sealed interface Report permits ClassificationReport, RegressionReport {
    /** Every metric by name, in a fixed order; the first is the headline metric. */
    Map<String, Double> metrics();

    /** The number of examples scored. */
    int count();

    /** Whether higher values of metric {@code name} are better (accuracy) or lower (log loss, RMSE). */
    static boolean higherIsBetter(String name) {
        return !(name.equals("log_loss") || name.equals("rmse") || name.equals("mae"));
    }
}
