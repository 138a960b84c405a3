package dev.descent.cli;

import dev.descent.io.Json;
import dev.descent.io.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code summary}, {@code augment}, convolutional models and {@code --augment} / {@code --dataset idx} on the command line. */
class ConvolutionCliTest {
    private static final String SMALL_CNN = "conv(4,3) batchnorm relu maxpool(2) flatten dense(10)";
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    @Test
    void summaryPrintsEachLayerOfAPreset() {
        CliTest.Run r = CliTest.run("summary", "--model", "cnn");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("conv2     conv(64,3)     [64, 24, 24]        18,496"), r.out());
        assertTrue(r.out().strip().endsWith("total parameters: 1,199,882"), r.out());
    }

    @Test
    void smallCnnTrainsWithAugmentationAndItsCheckpointKeepsRunningStatistics() throws IOException {
        Path out = tmp.resolve("run");
        CliTest.Run trained = CliTest.run("train", "--dataset", "idx", "--data-dir", mnist.toString(), "--limit", "500",
                "--model", SMALL_CNN, "--epochs", "1", "--batch-size", "50", "--augment", "rotate=10,translate=1",
                "--out", out.toString(), "--json");
        assertEquals(0, trained.status(), trained.err());
        double accuracy = Json.toDouble(Json.parseObject(trained.out().strip()).get("test_accuracy"));
        assertTrue(SafeTensors.read(out.resolve("model.safetensors")).containsKey("bn1.running_var"));
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"augment\": \"rotate=10,translate=1\""));

        CliTest.Run eval = CliTest.run("eval", "--model", out.toString(), "--data-dir", mnist.toString(), "--limit", "500", "--json");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(accuracy, Json.toDouble(Json.parseObject(eval.out().strip()).get("test_accuracy")), 1e-9,
                "the restored running statistics give the same predictions");

        CliTest.Run summary = CliTest.run("summary", out.toString());
        assertEquals(0, summary.status(), summary.err());
        assertTrue(summary.out().startsWith(SMALL_CNN + "\n"), summary.out());
        assertTrue(summary.out().contains("bn1"), summary.out());
    }

    @Test
    void augmentPreviewWritesAGrid() throws IOException {
        Path png = tmp.resolve("grid.png");
        CliTest.Run r = CliTest.run("augment", "--data-dir", mnist.toString(), "--limit", "10", "--examples", "3",
                "--variants", "4", "--preview", png.toString());
        assertEquals(0, r.status(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(16 + 5 * (28 * 3 + 4) + 4, img.getWidth());
        assertEquals(16 + 3 * (28 * 3 + 4) + 4, img.getHeight());
    }

    @Test
    void mistakesAreOneLineErrors() {
        for (List<String> args : List.of(
                List.of("train", "--model", "conv(32,x) relu", "--augment", "rotate=5"),
                List.of("train", "--augment", "spin=3"),
                List.of("train", "--dataset", "idx"),
                List.of("augment", "--preview", tmp.resolve("grid.gif").toString()),
                List.of("summary"))) {
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(2, r.status(), args + ": " + r.err());
            assertTrue(r.err().startsWith("descent: error: "), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
        CliTest.Run bad = CliTest.run("train", "--model", "conv(32,x) relu");
        assertEquals("descent: error: bad model specification at token 1 'conv(32,x)': conv kernel wants a positive integer,"
                + " like conv(32,3)", bad.lastErrorLine());
        assertFalse(Files.exists(tmp.resolve("grid.gif")));
    }
}
