package dev.descent.cli;

import dev.descent.DescentException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * An image (PNG, JPEG, GIF, BMP: whatever {@link ImageIO} decodes), from a file or from bytes,
 * as the gray input of a network, the way {@code descent predict} and {@code descent serve} read
 * one: drawn onto a {@code width×height} 8-bit gray canvas with bilinear interpolation (stretched
 * when the aspect ratio differs), each pixel {@code gray / 255}. MNIST digits are light ink on a
 * dark background, so with {@link Invert#AUTO} an image whose mean is above 0.5 (dark ink on
 * paper) is inverted, {@code x → 1 − x}.
 *
 * <p>The size an image declares is read from its header before anything is decoded: more than
 * {@value #MAX_SIDE} pixels on a side or {@value #MAX_PIXELS} pixels in all is refused, so a
 * small compressed file cannot claim gigabytes of memory. Every refusal is one line naming the
 * image.
 */
public final class GrayImages {
    /** The most pixels on either side of an image. */
    public static final int MAX_SIDE = 10_000;
    /** The most pixels in an image (50 megapixels, 200 MB decoded as ARGB). */
    public static final long MAX_PIXELS = 50_000_000;

    /** Whether to invert the gray levels, {@code x → 1 − x}. */
    public enum Invert {
        /** Invert when the mean gray level is above 0.5 (a light background). */
        AUTO,
        /** Always invert. */
        YES,
        /** Never invert. */
        NO
    }

    private GrayImages() {
    }

    /** The image in {@code file}: {@code height × width} gray levels in [0, 1], row by row. */
    public static float[] read(Path file, int height, int width, Invert invert) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return gray(decode(in, file.toString()), height, width, invert);
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /** The image encoded in {@code bytes} (the content of an image file), described as {@code what} in errors. */
    public static float[] read(byte[] bytes, String what, int height, int width, Invert invert) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            return gray(decode(in, what), height, width, invert);
        } catch (IOException e) {
            throw unreadable(what, e);
        }
    }

    private static float[] gray(BufferedImage source, int height, int width, Invert invert) {
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        float[] pixels = new float[width * height];
        double sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = gray.getRaster().getSample(x, y, 0) / 255f;
                sum += pixels[y * width + x];
            }
        }
        if (invert == Invert.YES || (invert == Invert.AUTO && sum / pixels.length > 0.5)) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1 - pixels[i];
            }
        }
        return pixels;
    }

    /** The decoded image, after its declared size was checked against the bounds. */
    private static BufferedImage decode(ImageInputStream in, String what) throws IOException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new DescentException("cannot read " + what + " as an image: no image format recognized; give a PNG,"
                    + " JPEG, GIF or BMP image");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0), height = reader.getHeight(0);
            if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
                throw new DescentException(String.format(Locale.ROOT, "%s declares %dx%d pixels; Descent reads images of"
                        + " at most %d pixels a side and %,d pixels in all; shrink the image", what, width, height,
                        MAX_SIDE, MAX_PIXELS));
            }
            return reader.read(0);
        } catch (RuntimeException e) {
            if (e instanceof DescentException d) {
                throw d;
            }
            // The JDK's decoders report some corrupt files with runtime exceptions (index out of
            // bounds, illegal arguments, colour-profile errors) rather than IOException.
            throw unreadable(what, e);
        } finally {
            reader.dispose();
        }
    }

    private static DescentException unreadable(String what, Exception e) {
        return new DescentException("cannot read " + what + " as an image (" + e.getMessage() + "); it is corrupt or"
                + " truncated; give a PNG, JPEG, GIF or BMP image", e);
    }
}
