package dev.descent.spark;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.ImageFiles;
import dev.descent.data.Normalizer;
import dev.descent.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Spark DataFrame (read from Parquet, CSV, or any source) as a Descent classification data
 * set: numeric feature columns and a label column whose distinct values, sorted, are the classes;
 * or a folder of images, one sub-folder per class ({@link #imageFolder}).
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

    /** The file names {@link #imageFolder} decodes; other files are skipped. */
    private static final Set<String> IMAGE_SUFFIXES = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    /** One decoded image: its class (the name of its folder) and its pixels. */
    private record Image(String label, float[] pixels) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * A folder of images, one sub-folder per class ({@code digits/3/a.png} is of class {@code 3}:
     * torchvision's {@code ImageFolder}, Keras' {@code image_dataset_from_directory}), read by Spark's
     * {@code binaryFile} source and decoded on the executors into grayscale {@code [1, height, width]}
     * inputs in [0, 1] ({@link ImageFiles#read}, not inverted); Spark computes the global statistics
     * of the pixels, {@code μ = (1/(N·P)) Σ x} and {@code σ = sqrt((1/(N·P)) Σ x² − μ²)} over the
     * {@code N} images of {@code P} pixels ({@link Normalizer.Mode#GLOBAL}). The classes are the
     * folder names, sorted. A file that is not a PNG, JPEG, GIF or BMP is skipped.
     */
    public static SparkData imageFolder(SparkSession spark, String path, int height, int width) {
        JavaRDD<Image> images = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(path)
                .select("path", "content").javaRDD()
                .filter(row -> IMAGE_SUFFIXES.contains(suffix(row.getString(0))))
                .map(row -> new Image(parentName(row.getString(0)),
                        ImageFiles.read((byte[]) row.get(1), row.getString(0), height, width, ImageFiles.Invert.NO)
                                .toFloatArray()))
                .cache();
        try {
            double[] sums = images.map(image -> {
                double sum = 0, squares = 0;
                for (float x : image.pixels()) {
                    sum += x;
                    squares += (double) x * x;
                }
                return new double[] {sum, squares, image.pixels().length};
            }).fold(new double[3], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
            if (sums[2] == 0) {
                throw new DescentException(path + " holds no PNG, JPEG, GIF or BMP images in class folders"
                        + " (e.g. " + path + "/3/a.png)");
            }
            double mean = sums[0] / sums[2], std = Math.sqrt(Math.max(0, sums[1] / sums[2] - mean * mean));
            List<Image> gathered = images.collect();
            List<String> classes = gathered.stream().map(Image::label).distinct().sorted().toList();
            int pixels = height * width;
            float[] x = new float[gathered.size() * pixels];
            float[] y = new float[gathered.size()];
            for (int i = 0; i < gathered.size(); i++) {
                System.arraycopy(gathered.get(i).pixels(), 0, x, i * pixels, pixels);
                y[i] = classes.indexOf(gathered.get(i).label());
            }
            Dataset data = new Dataset(Tensor.wrap(x, gathered.size(), 1, height, width), Tensor.of(y, y.length));
            return new SparkData(data, new Normalizer(Normalizer.Mode.GLOBAL, new double[] {mean},
                    new double[] {std < Normalizer.MIN_STD ? 1 : std}), classes);
        } finally {
            images.unpersist(false);
        }
    }

    private static String suffix(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The name of the folder a file is in: its class. */
    private static String parentName(String file) {
        String[] parts = file.split("/");
        return parts.length < 2 ? "" : parts[parts.length - 2];
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
