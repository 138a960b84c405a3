package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Random image augmentation of a batch {@code [B, C, H, W]}, each example drawn on its own
 * and all its channels moved alike. For each example, with u ~ U(−1, 1) drawn afresh each time:
 * <pre>
 *   angle θ = rotate·u degrees,  zoom s = 1 + scale·u,  shift t = (translate·u, translate·u) pixels
 *           + a whole-pixel shift in [−crop, crop]² (random crop of the image padded by crop pixels)
 *   out(p) = in(c + R(−θ)·(p − c − t)/s + e(p))      (c the image centre; bilinear interpolation;
 *                                                     θ > 0 turns the picture counter-clockwise)
 *   out   += noise·N(0, 1) per pixel
 * </pre>
 * where {@code e(p)} is the optional elastic displacement of Simard et al. (2003): a field of
 * U(−1, 1) draws smoothed by a normalized Gaussian of standard deviation {@code elastic_sigma}
 * pixels and multiplied by {@code elastic} (Simard's MNIST setting: {@code elastic=34,elastic_sigma=4}). Positions outside the image read the background value
 * {@code fill} (0, black on MNIST). {@link #parse} reads the settings from text such as
 * {@code rotate=10,translate=2,scale=0.1,noise=0.05}; absent ones are 0 (off).
 *
 * <p>The geometric part is an affine combination of pixels, so it commutes with the affine
 * standardization {@code (x − μ)/σ} when the background is standardized too:
 * {@link #forStandardizedInputs} gives the transform to apply after standardization that equals
 * this one applied before it.
 */
public final class Augmentation implements DataLoader.BatchTransform {
    /** The settings {@link #parse} accepts, with what each means. */
    public static final Map<String, String> SETTINGS = settings();

    private final Map<String, Double> values;
    private final double fill;
    private final double noiseScale;

    private Augmentation(Map<String, Double> values, double fill, double noiseScale) {
        this.values = Map.copyOf(values);
        this.fill = fill;
        this.noiseScale = noiseScale;
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("rotate", "largest rotation in degrees");
        s.put("translate", "largest shift in pixels (bilinear)");
        s.put("scale", "largest relative zoom, in or out");
        s.put("noise", "standard deviation of added Gaussian noise, in pixel units");
        s.put("crop", "padding in pixels of a random crop back to the original size");
        s.put("elastic", "elastic distortion strength alpha (0: off; Simard et al. use 34 with sigma 4)");
        s.put("elastic_sigma", "smoothness of the elastic field in pixels (default 4)");
        return Collections.unmodifiableMap(s);
    }

    /** Reads {@code key=value,...}; an empty text is no augmentation. Bad text throws a {@link DescentException}. */
    public static Augmentation parse(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("elastic_sigma", 4.0);
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String[] kv = part.trim().split("=", -1);
                if (kv.length != 2 || !SETTINGS.containsKey(kv[0].trim())) {
                    throw new DescentException("bad augmentation '" + part.trim() + "'; write key=value pairs like"
                            + " rotate=10,translate=2,scale=0.1,noise=0.05 with keys " + String.join(", ", SETTINGS.keySet()));
                }
                double v;
                try {
                    v = Double.parseDouble(kv[1].trim());
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                if (!(v >= 0) || Double.isInfinite(v) || (kv[0].trim().equals("scale") && v >= 1)
                        || (kv[0].trim().equals("crop") && v != Math.rint(v))) {
                    throw new DescentException("bad augmentation value '" + part.trim() + "'; use a number ≥ 0"
                            + " (scale below 1, crop a whole number of pixels)");
                }
                values.put(kv[0].trim(), v);
            }
        }
        return new Augmentation(values, 0, 1);
    }

    /**
     * The same augmentation for inputs standardized as {@code (x − mean)/std}: the background
     * becomes {@code (fill − mean)/std} and the noise is divided by {@code std}.
     */
    public Augmentation forStandardizedInputs(double mean, double std) {
        return new Augmentation(values, (fill - mean) / std, noiseScale / std);
    }

    private double get(String key) {
        return values.getOrDefault(key, 0.0);
    }

    /** Whether every setting is off (the transform returns its input). */
    public boolean isIdentity() {
        return get("rotate") == 0 && get("translate") == 0 && get("scale") == 0 && get("noise") == 0
                && get("crop") == 0 && get("elastic") == 0;
    }

    @Override
    public Tensor apply(Tensor inputs, RandomGenerator rng) {
        if (isIdentity()) {
            return inputs;
        }
        if (inputs.rank() != 4) {
            throw new DescentException("augmentation needs images [N, C, H, W], the inputs have shape " + inputs.shape()
                    + "; leave out --augment for this data set");
        }
        int h = inputs.dim(2), w = inputs.dim(3);
        double[] sx = new double[h * w], sy = new double[h * w];
        return resample(inputs, r -> samplePositions(r, h, w, sx, sy), sx, sy, rng);
    }

    /** Per example: {@code before} fills the positions {@code (sx, sy)}; then every channel is resampled there, noise added. */
    private Tensor resample(Tensor inputs, Consumer<RandomGenerator> before, double[] sx, double[] sy, RandomGenerator rng) {
        int b = inputs.dim(0), c = inputs.dim(1), h = inputs.dim(2), w = inputs.dim(3);
        float[] in = inputs.toFloatArray(), out = new float[in.length];
        double noise = get("noise") * noiseScale;
        for (int n = 0; n < b; n++) {
            before.accept(rng);
            for (int ch = 0; ch < c; ch++) {
                int base = (n * c + ch) * h * w;
                for (int p = 0; p < h * w; p++) {
                    out[base + p] = (float) (bilinear(in, base, h, w, sy[p], sx[p]) + (noise > 0 ? noise * rng.nextGaussian() : 0));
                }
            }
        }
        return Tensor.of(out, inputs.dims()).to(inputs.dtype());
    }

    /** For each output pixel, the input position (x, y) it reads, with this example's random draws. */
    private void samplePositions(RandomGenerator rng, int h, int w, double[] sx, double[] sy) {
        double degrees = get("rotate") * uniform(rng), zoom = 1 + get("scale") * uniform(rng);
        double tx = get("translate") * uniform(rng), ty = get("translate") * uniform(rng);
        int crop = (int) get("crop");
        if (crop > 0) {
            tx += rng.nextInt(-crop, crop + 1);
            ty += rng.nextInt(-crop, crop + 1);
        }
        double[] ex = get("elastic") > 0 ? elasticField(rng, h, w) : null;
        double[] ey = get("elastic") > 0 ? elasticField(rng, h, w) : null;
        positions(h, w, degrees, zoom, tx, ty, ex, ey, sx, sy);
    }

    /**
     * The input positions of an {@code h×w} output turned by {@code degrees} counter-clockwise
     * (as displayed, rows going down) about the centre, zoomed by {@code zoom} and shifted by
     * {@code (tx, ty)} pixels, plus the displacements {@code (ex, ey)} when not null.
     */
    private static void positions(int h, int w, double degrees, double zoom, double tx, double ty, double[] ex, double[] ey,
                                  double[] sx, double[] sy) {
        double theta = Math.toRadians(degrees), cos = Math.cos(theta), sin = Math.sin(theta);
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double dx = (j - cx - tx) / zoom, dy = (i - cy - ty) / zoom;
                int p = i * w + j;
                sx[p] = cx + cos * dx - sin * dy + (ex == null ? 0 : ex[p]);
                sy[p] = cy + sin * dx + cos * dy + (ey == null ? 0 : ey[p]);
            }
        }
    }

    /**
     * Every image of {@code images [B, C, H, W]} turned by {@code degrees} counter-clockwise,
     * zoomed by {@code zoom} and shifted by {@code (shiftX, shiftY)} pixels (right and down),
     * with bilinear interpolation and background 0: the deterministic part of {@link #apply}.
     */
    public static Tensor warp(Tensor images, double degrees, double zoom, double shiftX, double shiftY) {
        int h = images.dim(2), w = images.dim(3);
        double[] sx = new double[h * w], sy = new double[h * w];
        positions(h, w, degrees, zoom, shiftX, shiftY, null, null, sx, sy);
        return new Augmentation(Map.of(), 0, 1).resample(images, rng -> { }, sx, sy, null);
    }

    /** U(−1, 1) draws smoothed by a separable Gaussian of σ = elastic_sigma (weights summing to 1), scaled by elastic. */
    private double[] elasticField(RandomGenerator rng, int h, int w) {
        double sigma = Math.max(1e-3, get("elastic_sigma"));
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            total += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= total;
        }
        double[] field = new double[h * w];
        for (int p = 0; p < field.length; p++) {
            field[p] = uniform(rng);
        }
        double[] out = blur(blur(field, h, w, 1, w, kernel), w, h, w, 1, kernel);
        for (int p = 0; p < out.length; p++) {
            out[p] *= get("elastic");
        }
        return out;
    }

    /**
     * {@code x} convolved with {@code kernel} (centred, zero outside) along one axis: {@code lines}
     * lines of {@code length} elements, consecutive elements {@code step} apart and consecutive
     * lines {@code lineStep} apart.
     */
    private static double[] blur(double[] x, int lines, int length, int step, int lineStep, double[] kernel) {
        int radius = kernel.length / 2;
        double[] out = new double[x.length];
        for (int line = 0; line < lines; line++) {
            for (int i = 0; i < length; i++) {
                double s = 0;
                for (int k = -radius; k <= radius; k++) {
                    int at = i + k;
                    s += at >= 0 && at < length ? kernel[k + radius] * x[line * lineStep + at * step] : 0;
                }
                out[line * lineStep + i * step] = s;
            }
        }
        return out;
    }

    private static double uniform(RandomGenerator rng) {
        return 2 * rng.nextDouble() - 1;
    }

    /** The value at real position (y, x) by bilinear interpolation, the background outside the image. */
    private double bilinear(float[] img, int base, int h, int w, double y, double x) {
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double fy = y - y0, fx = x - x0;
        return (1 - fy) * ((1 - fx) * pixel(img, base, h, w, y0, x0) + fx * pixel(img, base, h, w, y0, x0 + 1))
                + fy * ((1 - fx) * pixel(img, base, h, w, y0 + 1, x0) + fx * pixel(img, base, h, w, y0 + 1, x0 + 1));
    }

    private double pixel(float[] img, int base, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? fill : img[base + y * w + x];
    }

    /** The settings in force, {@code key=value} joined by commas (those that are on). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String key : SETTINGS.keySet()) {
            double v = get(key);
            if (v != 0 && !(key.equals("elastic_sigma") && get("elastic") == 0)) {
                sb.append(sb.isEmpty() ? "" : ",").append(key).append('=')
                        .append(new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString());
            }
        }
        return sb.toString();
    }
}
