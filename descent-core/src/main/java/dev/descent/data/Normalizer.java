package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.tensor.DType;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Input standardization {@code x' = (x − mean) / std}, fitted on the training inputs only and
 * then applied unchanged to validation and test inputs.
 *
 * <p>{@link Mode#GLOBAL} uses one mean and one standard deviation over all input elements (the
 * usual choice for images); {@link Mode#PER_FEATURE} uses one per feature column, over axis 0
 * (a feature is one position of {@code inputs[i]}, flattened). Standard deviations are the
 * population ones, {@code sqrt(Σ(x − mean)² / n)}; one below {@code 1e-12} is stored as 1, so a
 * constant column becomes 0 instead of dividing by zero. The mode, means and standard
 * deviations are all there is to store: {@link #toConfig()} writes them as a JSON-ready map
 * and {@link #fromConfig(Map)} (or {@link #Normalizer(Mode, double[], double[])}) rebuilds it.
 */
public final class Normalizer {
    /** Below this a standard deviation is treated as 1. */
    public static final double MIN_STD = 1e-12;

    /** What the statistics are taken over. */
    public enum Mode {
        /** One mean and one standard deviation over all elements. */
        GLOBAL,
        /** A mean and a standard deviation per feature column. */
        PER_FEATURE
    }

    private final Mode mode;
    private final double[] mean;
    private final double[] std;

    /** Rebuilds a normalizer from stored statistics: one of each for GLOBAL, one per feature otherwise. */
    public Normalizer(Mode mode, double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0 || (mode == Mode.GLOBAL && mean.length != 1)) {
            throw new DescentException("a " + mode + " normalizer needs " + (mode == Mode.GLOBAL ? "one" : "as many")
                    + " mean and std values, got " + mean.length + " means and " + std.length
                    + " stds; the stored normalizer is corrupt, fit it again");
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new DescentException("normalizer std " + s + " is not a positive number; the stored normalizer"
                        + " is corrupt, fit it again");
            }
        }
        this.mode = mode;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Fits the statistics of {@code mode} on {@code inputs[N, ...]} (the training inputs). */
    public static Normalizer fit(Tensor inputs, Mode mode) {
        int n = inputs.dim(0), features = n == 0 ? 0 : inputs.size() / n;
        if (n == 0 || features == 0) {
            throw new DescentException("cannot fit a normalizer on an empty data set (shape " + inputs.shape()
                    + "); give it the training inputs");
        }
        int columns = mode == Mode.GLOBAL ? 1 : features;
        double[] sum = new double[columns], squares = new double[columns];
        Storage data = inputs.storage();
        for (int i = 0; i < data.size(); i++) {
            sum[i % features % columns] += data.get(i);
        }
        double count = (double) data.size() / columns;
        double[] mean = Arrays.stream(sum).map(s -> s / count).toArray();
        for (int i = 0; i < data.size(); i++) {
            int c = i % features % columns;
            double d = data.get(i) - mean[c];
            squares[c] += d * d;
        }
        double[] std = Arrays.stream(squares).map(q -> Math.sqrt(q / count)).map(s -> s < MIN_STD ? 1 : s).toArray();
        return new Normalizer(mode, mean, std);
    }

    /** {@code (x − mean) / std}, broadcast over {@code x[N, ...]}; same dtype as {@code x}. */
    public Tensor apply(Tensor x) {
        if (mode == Mode.GLOBAL) {
            return x.sub(mean[0]).div(std[0]);
        }
        int features = x.dim(0) == 0 ? 0 : x.size() / x.dim(0);
        if (x.rank() < 2 || features != mean.length) {
            throw new DescentException("the normalizer was fitted on " + mean.length + " features per example, the"
                    + " input has shape " + x.shape() + "; normalize inputs shaped like the training inputs");
        }
        int[] dims = x.dims();
        dims[0] = 1;
        return x.sub(constant(mean, x.dtype(), dims)).div(constant(std, x.dtype(), dims));
    }

    /**
     * The checkpoint form ({@code config.json}'s {@code "normalization"}):
     * {@code {"mode": "GLOBAL", "mean": [...], "std": [...]}}.
     */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("mean", Arrays.stream(mean).boxed().toList());
        m.put("std", Arrays.stream(std).boxed().toList());
        return m;
    }

    /**
     * Rebuilds the normalizer {@link #toConfig()} described, as parsed back from JSON; a missing
     * key or a value of the wrong kind is a {@link DescentException} naming it.
     */
    public static Normalizer fromConfig(Map<?, ?> config) {
        Object mode = config.get("mode");
        if (!(mode instanceof String name) || Arrays.stream(Mode.values()).noneMatch(m -> m.name().equals(name))) {
            throw corrupt(mode == null ? "has no \"mode\"" : "has the mode " + Json.write(mode) + ", expected \"GLOBAL\""
                    + " or \"PER_FEATURE\"");
        }
        return new Normalizer(Mode.valueOf(name), numbers(config, "mean"), numbers(config, "std"));
    }

    private static double[] numbers(Map<?, ?> config, String key) {
        if (!(config.get(key) instanceof List<?> list)) {
            throw corrupt(config.containsKey(key) ? "has a \"" + key + "\" that is not a list of numbers"
                    : "has no \"" + key + "\"");
        }
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(list.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw corrupt("has " + Json.write(list.get(i)) + " at \"" + key + "\"[" + i + "], expected a finite number");
            }
            values[i] = n.doubleValue();
        }
        return values;
    }

    private static DescentException corrupt(String problem) {
        return new DescentException("the saved input normalization (config.json \"normalization\") " + problem
                + "; restore the checkpoint's config.json or train the model again");
    }

    private static Tensor constant(double[] values, DType dtype, int[] dims) {
        Tensor t = Tensor.of(values, dims);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    public Mode mode() {
        return mode;
    }

    /** The means (a copy): one for GLOBAL, one per feature for PER_FEATURE. */
    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviations (a copy), each at least {@link #MIN_STD}. */
    public double[] std() {
        return std.clone();
    }
}
