package dev.descent.spark;

import dev.descent.data.Normalizer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CSV file and the same rows written as Parquet by Spark give one data set, and Spark's
 * standardization statistics equal {@link Normalizer#fit} on the gathered rows.
 */
class SparkDataTest {
    @Test
    void csvAndParquetGiveTheSameDataAndStatistics(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "x,y,ignored,kind\n1.5,2,a,cat\n-0.5,4,b,dog\n3.25,2,c,cat\n0,7,d,bird\n");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("descent-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<String> features = List.of("x", "y");
            SparkData fromCsv = SparkData.csv(spark, csv.toString(), features, "kind");
            String parquet = dir.resolve("points.parquet").toString();
            spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).write().parquet(parquet);
            SparkData fromParquet = SparkData.parquet(spark, parquet, features, "kind");

            assertEquals(List.of("bird", "cat", "dog"), fromCsv.classes());
            assertArrayEquals(new float[]{1.5f, 2, -0.5f, 4, 3.25f, 2, 0, 7}, fromCsv.data().inputs().toFloatArray());
            assertArrayEquals(new int[]{1, 2, 1, 0}, fromCsv.data().labels());
            Normalizer here = Normalizer.fit(fromCsv.data().inputs(), Normalizer.Mode.PER_FEATURE);
            assertArrayEquals(here.mean(), fromCsv.normalizer().mean(), 1e-12);
            assertArrayEquals(here.std(), fromCsv.normalizer().std(), 1e-12);

            assertEquals(4, fromParquet.data().size());
            assertEquals(fromCsv.classes(), fromParquet.classes());
            assertArrayEquals(fromCsv.normalizer().mean(), fromParquet.normalizer().mean(), 1e-12);
        } finally {
            spark.stop();
        }
    }
}
