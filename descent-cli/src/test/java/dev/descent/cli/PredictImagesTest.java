package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code descent predict} on image files that do not suit the model or that claim a huge size. */
class PredictImagesTest {
    @TempDir
    Path tmp;

    /** A model of 3 classes for inputs of {@code shape}, fitted for one epoch on 6 constant inputs, saved. */
    private Path model(String name, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        int[] dims = new int[shape.length + 1];
        dims[0] = 6;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        Model model = Model.classifier("flatten dense(3)");
        model.fit(new Dataset(Tensor.wrap(new float[6 * size], dims), Tensor.of(new float[] {0, 1, 2, 0, 1, 2}, 6)),
                TrainingSettings.defaults().epochs(1).validation(0));
        Path dir = tmp.resolve(name);
        model.save(dir);
        return dir;
    }

    private Path png(int width, int height) throws IOException {
        Path file = tmp.resolve("digit.png");
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
        return file;
    }

    @Test
    void aModelOfVectorInputsRefusesImagesInOneLine() throws IOException {
        Path vectors = model("vectors", 16);
        CliTest.Run run = CliTest.run("predict", "--model", vectors.toString(), png(4, 4).toString());
        assertEquals(2, run.status(), run.err());
        assertEquals("descent: error: the model in " + vectors + " takes inputs of shape [16], not gray images; give it"
                + " an IDX file of such inputs", run.err().strip());
    }

    @Test
    void anImageDeclaringHugeDimensionsIsRefusedBeforeDecoding() throws IOException {
        Path images = model("images", 1, 4, 4);
        Path file = png(4, 4);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(16, 30_000).putInt(20, 30_000); // the IHDR width and height
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, 17);
        ByteBuffer.wrap(bytes).putInt(29, (int) crc.getValue());
        Files.write(file, bytes);
        CliTest.Run run = CliTest.run("predict", "--model", images.toString(), file.toString());
        assertEquals(2, run.status(), run.err());
        assertEquals("descent: error: " + file + " declares 30000x30000 pixels; Descent reads images of at most 10000"
                + " pixels a side and 50,000,000 pixels in all; shrink the image", run.err().strip());
        assertEquals(0, CliTest.run("predict", "--model", images.toString(), png(8, 8).toString()).status());
    }
}
