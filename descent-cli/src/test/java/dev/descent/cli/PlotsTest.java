package dev.descent.cli;

import dev.descent.cli.tune.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pictures' content as a reader finds it in the SVG: their words and numbers as text, not glyph outlines. */
class PlotsTest {
    @TempDir
    Path tmp;

    /** The text of every {@code <text>} element, in document order. */
    private static List<String> texts(Path svg) throws IOException {
        Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(Files.readString(svg));
        return m.results().map(r -> r.group(1)).toList();
    }

    /** The fill colour of the {@code <text>} element holding exactly {@code text}. */
    private static String fillOf(Path svg, String text) throws IOException {
        Matcher m = Pattern.compile("<text style=\"fill:(rgb\\(\\d+,\\d+,\\d+\\))[^>]*>" + Pattern.quote(text) + "</text>")
                .matcher(Files.readString(svg));
        assertTrue(m.find(), "no text " + text);
        return m.group(1);
    }

    @Test
    void confusionMatrixWritesEveryCountAsTextWhiteOnTheDarkestCells() throws IOException {
        long[][] counts = {{980, 0, 3}, {7, 1130, 11}, {2, 45, 1002}};
        List<Path> written = Plots.confusionMatrix(counts, tmp.resolve("confusion"));

        Path svg = tmp.resolve("confusion.svg");
        assertEquals(List.of(tmp.resolve("confusion.png"), svg), written);
        List<String> texts = texts(svg);
        for (long[] row : counts) {
            for (long c : row) {
                assertTrue(texts.contains(Long.toString(c)), "count " + c + " missing from " + texts);
            }
        }
        assertTrue(texts.containsAll(List.of("confusion matrix (test set)", "predicted class", "true class")), texts.toString());
        assertFalse(Files.readString(svg).contains("<path"), "text drawn as outlines");
        assertEquals("rgb(255,255,255)", fillOf(svg, "1130"));                 // the largest count: darkest cell, white text
        assertTrue(!fillOf(svg, "0").equals("rgb(255,255,255)"));              // an empty cell: white cell, dark text
        BufferedImage png = ImageIO.read(tmp.resolve("confusion.png").toFile());
        assertTrue(png.getWidth() > 300 && png.getHeight() > 300);
    }

    @Test
    void tuningPictureHasOnePanelPerHyperparameterWithALogAxisForLogRanges() throws IOException {
        SearchSpace space = SearchSpace.parse("""
                {"lr": {"log_uniform": [1e-4, 1e-1]}, "layers": {"choice": ["64", "128,64"]}, "dropout": {"uniform": [0, 0.5]}}""");
        List<Map<String, Object>> trials = List.of(
                Map.of("lr", 1e-4, "layers", "64", "dropout", 0.1),
                Map.of("lr", 1e-2, "layers", "128,64", "dropout", 0.3),
                Map.of("lr", 1e-1, "layers", "64", "dropout", 0.5));
        Plots.tuningScatter(trials, new double[] {91.5, 97.25, 88.0}, space.varying(), "validation accuracy (%)", tmp.resolve("tuning"));

        Path svg = tmp.resolve("tuning.svg");
        List<String> texts = texts(svg);
        assertEquals(3, texts.stream().filter("validation accuracy (%)"::equals).count(), "three panels: " + texts);
        assertTrue(texts.containsAll(List.of("lr", "layers", "dropout")), texts.toString());
        assertTrue(texts.containsAll(List.of("lr (log scale)", "1E-4", "1E-3", "1E-2", "1E-1")), texts.toString());
        assertTrue(texts.containsAll(List.of("64", "128,64", "best trial")), texts.toString());
        BufferedImage png = ImageIO.read(tmp.resolve("tuning.png").toFile());
        assertEquals(3 * 360, png.getWidth());                                 // three panels side by side
    }

    @Test
    void trainingCurvesMarkTheKeptEpoch() throws IOException {
        List<Map<String, Object>> history = List.of(
                Map.of("epoch", 1, "train_loss", 0.9, "val_loss", 0.5, "train_accuracy", 0.8, "val_accuracy", 0.85),
                Map.of("epoch", 2, "train_loss", 0.4, "val_loss", 0.3, "train_accuracy", 0.9, "val_accuracy", 0.91),
                Map.of("epoch", 3, "train_loss", 0.2, "val_loss", 0.35, "train_accuracy", 0.95, "val_accuracy", 0.9));
        List<Path> written = Plots.trainingCurves(history, 2, tmp);

        assertEquals(4, written.size());
        for (String name : List.of("loss", "accuracy")) {
            List<String> texts = texts(tmp.resolve(name + ".svg"));
            assertTrue(texts.containsAll(List.of(name + " per epoch", "epoch", "training", "validation",
                    "early stopping: kept epoch 2")), texts.toString());
        }
    }
}
