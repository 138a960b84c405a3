package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Reads an image file (PNG, JPEG, GIF, BMP: whatever {@link ImageIO} decodes), or the bytes of
 * one, as the grayscale input of a network: {@code [1, height, width]} (one channel), values in
 * [0, 1].
 *
 * <p>The image is drawn onto a {@code width×height} 8-bit gray canvas with bilinear
 * interpolation (stretched when the aspect ratio differs) and each pixel becomes
 * {@code gray / 255}. MNIST digits are light ink on a dark background, so with
 * {@link Invert#AUTO} an image whose mean is above 0.5 (dark ink on paper) is inverted,
 * {@code x → 1 − x}; {@link Invert#YES} and {@link Invert#NO} force the choice.
 *
 * <p>The size an image declares is read from its header before anything is decoded: an image
 * more than {@value #MAX_SIDE} pixels on a side or of more than {@value #MAX_PIXELS} pixels
 * is refused, as are files that no reader recognizes and files whose decoding fails; every
 * refusal is a one-line {@link DescentException} naming the file (or what the bytes are).
 */
public final class ImageFiles {
    /** The most pixels on either side of an image or of the requested size. */
    public static final int MAX_SIDE = 10_000;
    /** The most pixels in an image (50 megapixels, 200 MB decoded as ARGB). */
    public static final long MAX_PIXELS = 50_000_000;

    private static final String KINDS = "give a PNG, JPEG, GIF or BMP file";

    /** Whether to invert the gray levels, {@code x → 1 − x}. */
    public enum Invert {
        /** Invert when the mean gray level is above 0.5 (a light background). */
        AUTO,
        /** Always invert. */
        YES,
        /** Never invert. */
        NO
    }

    private ImageFiles() {
    }

    /**
     * The image in {@code file} as a {@code [1, height, width]} float32 tensor of gray levels in
     * [0, 1], inverted according to {@code invert}.
     */
    public static Tensor read(Path file, int height, int width, Invert invert) {
        if (!Files.isRegularFile(file)) {
            throw new DescentException("no such file: " + file + "; check the path");
        }
        return read(file.toFile(), file.toString(), height, width, invert);
    }

    /**
     * The image encoded in {@code bytes} (the content of an image file, such as a PNG sent over
     * the network), read as {@link #read(Path, int, int, Invert)} reads a file; errors name it
     * {@code what}.
     */
    public static Tensor read(byte[] bytes, String what, int height, int width, Invert invert) {
        return read(new ByteArrayInputStream(bytes), what, height, width, invert);
    }

    /** The image from {@code input}, a {@link java.io.File} or an {@link java.io.InputStream}. */
    private static Tensor read(Object input, String what, int height, int width, Invert invert) {
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new DescentException("cannot make a " + height + "x" + width + " image: sides must be 1 to " + MAX_SIDE
                    + " pixels; give the model's input size");
        }
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(decode(input, what), 0, 0, width, height, null);
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
        return Tensor.wrap(pixels, 1, height, width);
    }

    /** The decoded image, after its declared size was checked against the bounds. */
    private static BufferedImage decode(Object input, String what) {
        try (ImageInputStream in = ImageIO.createImageInputStream(input)) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DescentException("cannot read " + what + " as an image: no image format recognized; " + KINDS);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0), height = reader.getHeight(0);
                if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE
                        || (long) width * height > MAX_PIXELS) {
                    throw new DescentException(String.format(Locale.ROOT, "%s declares %dx%d pixels; Descent reads images"
                            + " of at most %d pixels a side and %,d pixels in all; shrink the image", what, width, height,
                            MAX_SIDE, MAX_PIXELS));
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DescentException d) {
                throw d;
            }
            // The JDK's decoders report some corrupt files with runtime exceptions (index out of
            // bounds, illegal arguments, colour-profile errors) rather than IOException.
            throw new DescentException("cannot read " + what + " as an image (" + e + "); the file is corrupt or"
                    + " truncated; " + KINDS, e);
        }
    }
}
