package dev.descent.tensor;

/**
 * A sliding window over the two spatial axes of an NCHW tensor, shared by convolution and
 * pooling. Output position {@code (i, j)} reads the input rows
 * {@code i·strideH − padTop + a·dilationH} for {@code a = 0..kernelH−1} (and the columns
 * likewise); positions outside the input are padding. The output size along the height is
 * {@code ⌊(H + padTop + padBottom − dilationH·(kernelH − 1) − 1) / strideH⌋ + 1}, PyTorch's
 * formula.
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom,
                     int padLeft, int padRight, int dilationH, int dilationW) {
    public Window {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1
                || padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("window needs positive kernel, stride and dilation and non-negative"
                    + " padding, got " + this);
        }
    }

    /** A square window: kernel {@code k}, the same stride, padding (on every side) and dilation on both axes. */
    public static Window square(int kernel, int stride, int padding, int dilation) {
        return new Window(kernel, kernel, stride, stride, padding, padding, padding, padding, dilation, dilation);
    }

    /**
     * A square window with stride 1 padded so the output has the input's size ("same"): the
     * total padding {@code dilation·(kernel − 1)} is split with the odd pixel at the bottom and
     * right, as PyTorch does.
     */
    public static Window same(int kernel, int dilation) {
        long span = (long) dilation * (kernel - 1);
        if (span > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kernel " + kernel + " dilated by " + dilation + " spans more than 2^31 pixels");
        }
        int total = (int) span, before = total / 2, after = total - before;
        return new Window(kernel, kernel, 1, 1, before, after, before, after, dilation, dilation);
    }

    /** Output height for input height {@code h}; at most 0 when the window does not fit. */
    public int outHeight(int h) {
        return outSize(h, padTop + (long) padBottom, dilationH, kernelH, strideH);
    }

    /** Output width for input width {@code w}. */
    public int outWidth(int w) {
        return outSize(w, padLeft + (long) padRight, dilationW, kernelW, strideW);
    }

    /** The output formula in long arithmetic (a large kernel times its dilation overflows an int), clamped to the int range. */
    private static int outSize(int in, long padding, int dilation, int kernel, int stride) {
        long out = Math.floorDiv(in + padding - (long) dilation * (kernel - 1) - 1, stride) + 1;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, out));
    }

    /** Kernel elements per channel, {@code kernelH·kernelW}. */
    public int area() {
        return kernelH * kernelW;
    }

    /**
     * The im2col table for one channel of an {@code h×w} image: entry {@code (a·kernelW + b)·L + (i·outW + j)}
     * (L = outH·outW) is the flat input index {@code row·w + col} read by kernel tap {@code (a, b)} at
     * output position {@code (i, j)}, or −1 where that lies in the padding.
     */
    int[] columnIndex(int h, int w) {
        int oh = outHeight(h), ow = outWidth(w), positions = oh * ow;
        int[] index = new int[area() * positions];
        for (int a = 0; a < kernelH; a++) {
            for (int b = 0; b < kernelW; b++) {
                int base = (a * kernelW + b) * positions;
                for (int i = 0; i < oh; i++) {
                    int row = i * strideH - padTop + a * dilationH;
                    for (int j = 0; j < ow; j++) {
                        int col = j * strideW - padLeft + b * dilationW;
                        index[base + i * ow + j] = row < 0 || row >= h || col < 0 || col >= w ? -1 : row * w + col;
                    }
                }
            }
        }
        return index;
    }
}
