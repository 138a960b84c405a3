package dev.descent.spark;

import dev.descent.data.ImageFiles;
import dev.descent.data.Normalizer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CSV file and the same rows written as Parquet by Spark give one data set, and Spark's
 * standardization statistics equal {@link Normalizer#fit} on the gathered rows; a folder of images
 * in class folders gives the images {@link ImageFiles} reads, labelled by folder.
 */
class SparkDataTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("descent-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void csvAndParquetGiveTheSameDataAndStatistics(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "x,y,ignored,kind\n1.5,2,a,cat\n-0.5,4,b,dog\n3.25,2,c,cat\n0,7,d,bird\n");
        {
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
        }
    }

    @Test
    void anImageFolderGivesItsImagesLabelledByFolder(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("shapes");
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 12; p++) {
                image.getRaster().setSample(p % 4, p / 4, 0, (37 * i + 11 * p) % 256);
            }
            Path file = root.resolve(i % 2 == 0 ? "even" : "odd").resolve("image-" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
            files.add(file);
        }
        Files.writeString(root.resolve("even/notes.txt"), "not an image");

        SparkData read = SparkData.imageFolder(spark, root.toString(), 3, 4);

        assertEquals(List.of("even", "odd"), read.classes());
        assertEquals(5, read.data().size());
        assertArrayEquals(new int[] {5, 1, 3, 4}, read.data().inputs().dims());
        java.util.Map<String, Integer> labelByPixels = new java.util.HashMap<>();
        float[] all = read.data().inputs().toFloatArray();
        for (int n = 0; n < 5; n++) {
            labelByPixels.put(Arrays.toString(Arrays.copyOfRange(all, 12 * n, 12 * n + 12)), read.data().labels()[n]);
        }
        for (int i = 0; i < 5; i++) {
            float[] expected = ImageFiles.read(files.get(i), 3, 4, ImageFiles.Invert.NO).toFloatArray();
            assertEquals(i % 2, labelByPixels.get(Arrays.toString(expected)), "image " + i);
        }
        Normalizer here = Normalizer.fit(read.data().inputs(), Normalizer.Mode.GLOBAL);
        assertArrayEquals(here.mean(), read.normalizer().mean(), 1e-9);
        assertArrayEquals(here.std(), read.normalizer().std(), 1e-9);
    }
}
