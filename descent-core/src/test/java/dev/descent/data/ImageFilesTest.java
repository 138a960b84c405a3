package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.fuzz.Fuzz;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path dir;

    /** A 4×2 gray image: the left half black, the right half white. */
    private Path halves(String format) throws IOException {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 2; x < 4; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path file = dir.resolve("halves." + format);
        ImageIO.write(image, format, file.toFile());
        return file;
    }

    @Test
    void readsGrayLevelsAsOneChannelAndInvertsOnRequest() throws IOException {
        Path png = halves("png");
        Tensor plain = ImageFiles.read(png, 2, 4, ImageFiles.Invert.NO);
        assertArrayEquals(new int[] {1, 2, 4}, plain.dims());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1}, plain.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 1, 0, 0}, ImageFiles.read(png, 2, 4, ImageFiles.Invert.YES).toFloatArray());
        // auto inverts only a light image: this one's mean is exactly 0.5, so it stays
        assertArrayEquals(plain.toFloatArray(), ImageFiles.read(png, 2, 4, ImageFiles.Invert.AUTO).toFloatArray());
        Tensor bmp = ImageFiles.read(halves("bmp"), 1, 2, ImageFiles.Invert.NO);
        assertEquals(0, bmp.toFloatArray()[0], 0.02);
        assertEquals(1, bmp.toFloatArray()[1], 0.02);
    }

    /** The bytes of a file read as the file is; refusals name what the bytes are. */
    @Test
    void bytesReadAsTheirFile() throws IOException {
        Path png = halves("png");
        for (ImageFiles.Invert invert : ImageFiles.Invert.values()) {
            assertArrayEquals(ImageFiles.read(png, 3, 5, invert).toFloatArray(),
                    ImageFiles.read(Files.readAllBytes(png), "the upload", 3, 5, invert).toFloatArray(), invert.name());
        }
        DescentException refused = assertThrows(DescentException.class,
                () -> ImageFiles.read("hello".getBytes(), "the upload", 28, 28, ImageFiles.Invert.AUTO));
        assertEquals("cannot read the upload as an image: no image format recognized; give a PNG, JPEG, GIF or BMP file",
                refused.getMessage());
    }

    @Test
    void aPngDeclaring30000By30000PixelsIsRefusedBeforeDecoding() throws IOException {
        Path file = halves("png");
        byte[] png = Files.readAllBytes(file);
        // IHDR: length (4), "IHDR" (4), width (4), height (4), ...; its CRC covers type and data (17 bytes)
        ByteBuffer.wrap(png).putInt(16, 30_000).putInt(20, 30_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        Files.write(file, png);
        String[] message = new String[1];
        long allocated = Fuzz.bytesAllocatedBy(() -> message[0] = assertThrows(DescentException.class,
                () -> ImageFiles.read(file, 28, 28, ImageFiles.Invert.AUTO)).getMessage());
        assertEquals(file + " declares 30000x30000 pixels; Descent reads images of at most 10000 pixels a side and"
                + " 50,000,000 pixels in all; shrink the image", message[0]);
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated");
    }

    @Test
    void filesThatAreNotImagesAndBadSizesAreRefusedInOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("digit.png"), "not an image\n");
        assertEquals("cannot read " + text + " as an image: no image format recognized; give a PNG, JPEG, GIF or BMP file",
                assertThrows(DescentException.class, () -> ImageFiles.read(text, 28, 28, ImageFiles.Invert.NO)).getMessage());
        byte[] png = Files.readAllBytes(halves("png"));
        Path truncated = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        String cut = assertThrows(DescentException.class, () -> ImageFiles.read(truncated, 28, 28, ImageFiles.Invert.NO))
                .getMessage();
        assertTrue(cut.startsWith("cannot read " + truncated + " as an image ("), cut);
        assertTrue(cut.endsWith("the file is corrupt or truncated; give a PNG, JPEG, GIF or BMP file"), cut);
        assertEquals("no such file: " + dir.resolve("none.png") + "; check the path", assertThrows(DescentException.class,
                () -> ImageFiles.read(dir.resolve("none.png"), 28, 28, ImageFiles.Invert.NO)).getMessage());
        assertEquals("cannot make a 0x28 image: sides must be 1 to 10000 pixels; give the model's input size",
                assertThrows(DescentException.class, () -> ImageFiles.read(text, 0, 28, ImageFiles.Invert.NO)).getMessage());
    }
}
