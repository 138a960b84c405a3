package dev.descent.data;

import dev.descent.fuzz.Fuzz;
import dev.descent.fuzz.Fuzz.Input;
import dev.descent.fuzz.Fuzz.Seed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target of {@link ImageFiles#read}: PNG, JPEG, GIF and BMP files with mutated headers
 * (declared sizes up to 2^32 pixels a side), chunks and pixel data are read as a 28×28 input, or
 * refused in one line before the declared size is allocated.
 */
class ImageFilesFuzzTest {
    private static final Path FILE = Fuzz.scratch("image").resolve("image");
    private static final List<Seed> SEEDS = List.of(
            seed("gray.png", BufferedImage.TYPE_BYTE_GRAY, 6, 5, "png"),
            seed("argb.png", BufferedImage.TYPE_INT_ARGB, 4, 4, "png"),
            seed("palette.png", BufferedImage.TYPE_BYTE_INDEXED, 5, 3, "png"),
            seed("rgb.jpg", BufferedImage.TYPE_INT_RGB, 8, 8, "jpeg"),
            seed("palette.gif", BufferedImage.TYPE_BYTE_INDEXED, 7, 4, "gif"),
            seed("rgb.bmp", BufferedImage.TYPE_3BYTE_BGR, 3, 5, "bmp"));

    /** A {@code width×height} image of type {@code type} with a gradient, encoded as {@code format}. */
    static Seed seed(String name, int type, int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, 0xFF000000 | (x * 40) << 16 | (y * 50) << 8 | (x + y) * 20);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Seed(name, out.toByteArray());
    }

    @Provide
    Arbitrary<Input> images() {
        return Fuzz.inputs(SEEDS, List.of("IHDR", "IDAT", "IEND", "PLTE", "tRNS", "GIF89a", "BM"));
    }

    @Property
    void readsOrRefusesInOneLine(@ForAll("images") Input input, @ForAll ImageFiles.Invert invert) {
        input.writeTo(FILE);
        Fuzz.check(input, () -> ImageFiles.read(FILE, 28, 28, invert));
    }
}
