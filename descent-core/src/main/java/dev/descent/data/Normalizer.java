package dev.descent.data;

import dev.descent.DescentException;
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
 * deviations are all there is to store: {@link #Normalizer(Mode, double[], double[])} rebuilds it.
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

    /** The JSON form {@code {"mode": ..., "mean": [...], "std": [...]}} that {@link #fromConfig} reads back. */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("mean", Arrays.stream(mean).boxed().toList());
        m.put("std", Arrays.stream(std).boxed().toList());
        return m;
    }

    /**
     * The normalizer stored by {@link #toConfig()}.
     *
     * @throws DescentException naming the missing or malformed key
     */
    public static Normalizer fromConfig(Map<String, Object> config) {
        Mode mode;
        try {
            mode = Mode.valueOf(String.valueOf(config.get("mode")));
        } catch (IllegalArgumentException e) {
            throw new DescentException("the stored normalizer's \"mode\" is " + config.get("mode") + ", not GLOBAL or"
                    + " PER_FEATURE; fit it again (re-train)");
        }
        return new Normalizer(mode, numbers(config, "mean"), numbers(config, "std"));
    }

    private static double[] numbers(Map<String, Object> config, String key) {
        if (!(config.get(key) instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof Number)) {
            throw new DescentException("the stored normalizer has no list of numbers \"" + key + "\"; fit it again (re-train)");
        }
        return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
