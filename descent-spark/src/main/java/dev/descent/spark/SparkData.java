package dev.descent.spark;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Spark DataFrame (read from Parquet, CSV, or any source) as a Descent classification data
 * set: numeric feature columns and a label column whose distinct values, sorted, are the classes.
 * The standardization statistics are computed by Spark over the whole frame, per feature,
 * {@code μ_j = (1/N) Σ_i x_ij} and {@code σ_j = sqrt((1/N) Σ_i (x_ij − μ_j)²)} ({@link Normalizer}'s
 * rule, 1 where {@code σ_j} is 0); the rows are then gathered on the driver, which holds the
 * training set for {@link SparkCluster}'s shares.
 *
 * @param data       the inputs {@code [N, features]} and class indices {@code [N]}
 * @param normalizer the standardization fitted by Spark
 * @param classes    the class names, in index order
 */
public record SparkData(Dataset data, Normalizer normalizer, List<String> classes) {
    /** Reads {@code frame}'s {@code features} and {@code label} columns. */
    public static SparkData of(org.apache.spark.sql.Dataset<Row> frame, List<String> features, String label) {
        List<String> columns = Arrays.asList(frame.columns());
        for (String c : features) {
            if (!columns.contains(c)) {
                throw new DescentException("the frame has no column \"" + c + "\"; its columns are " + columns);
            }
        }
        if (!columns.contains(label)) {
            throw new DescentException("the frame has no label column \"" + label + "\"; its columns are " + columns);
        }
        List<Column> stats = new ArrayList<>();
        for (String c : features) {
            stats.add(functions.avg(functions.col(c).cast("double")));
            stats.add(functions.stddev_pop(functions.col(c).cast("double")));
        }
        Row moments = frame.select(stats.toArray(Column[]::new)).first();
        double[] mean = new double[features.size()], std = new double[features.size()];
        for (int j = 0; j < mean.length; j++) {
            mean[j] = moments.getDouble(2 * j);
            double s = moments.getDouble(2 * j + 1);
            std[j] = s < Normalizer.MIN_STD ? 1 : s;
        }
        List<String> classes = frame.select(functions.col(label).cast("string")).distinct().collectAsList().stream()
                .map(r -> r.getString(0)).sorted().toList();
        List<Column> wanted = new ArrayList<>();
        features.forEach(c -> wanted.add(functions.col(c).cast("float")));
        wanted.add(functions.col(label).cast("string"));
        List<Row> rows = frame.select(wanted.toArray(Column[]::new)).collectAsList();
        float[][] x = new float[rows.size()][features.size()];
        int[] y = new int[rows.size()];
        for (int i = 0; i < x.length; i++) {
            Row r = rows.get(i);
            for (int j = 0; j < features.size(); j++) {
                if (r.isNullAt(j)) {
                    throw new DescentException("row " + i + " has no value in column \"" + features.get(j)
                            + "\"; fill or drop the missing values (na().fill, na().drop) first");
                }
                x[i][j] = r.getFloat(j);
            }
            y[i] = classes.indexOf(r.getString(features.size()));
        }
        return new SparkData(Dataset.of(x, y), new Normalizer(Normalizer.Mode.PER_FEATURE, mean, std), classes);
    }

    /** Reads a Parquet file or folder. */
    public static SparkData parquet(SparkSession spark, String path, List<String> features, String label) {
        return of(spark.read().parquet(path), features, label);
    }

    /** Reads a CSV file with a header line, column types inferred. */
    public static SparkData csv(SparkSession spark, String path, List<String> features, String label) {
        return of(spark.read().option("header", "true").option("inferSchema", "true").csv(path), features, label);
    }
}
