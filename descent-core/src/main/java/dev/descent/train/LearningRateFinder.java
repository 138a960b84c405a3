package dev.descent.train;

import dev.descent.data.DataLoader;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Schedule;
import dev.descent.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The learning-rate range test (Smith 2015, fastai's {@code lr_find}): train a fresh model for up
 * to {@code steps} mini-batches while the learning rate grows exponentially,
 * <pre>
 *   lr_k = lr_min · (lr_max / lr_min)^(k / (steps − 1)),   k = 0 … steps − 1
 * </pre>
 * and record the batch loss L_k. The curve is smoothed with a bias-corrected exponential moving
 * average, {@code a_k = β·a_{k−1} + (1 − β)·L_k}, {@code S_k = a_k / (1 − β^(k+1))} (β = {@value #BETA}),
 * and the test stops once {@code S_k > }{@value #STOP_FACTOR}{@code · min_j S_j} or the loss is not finite.
 *
 * <p>The suggested rate ({@link #suggest}) is the steepest-descent point: the lr where
 * {@code dS/d(ln lr)} is most negative, among the points before the minimum of S (the first
 * {@value #SKIP_START} points skipped, where the average has not settled). The slope is a central
 * difference over a window of w = max(1, n/20) points on each side, so batch noise does not win. When no point descends,
 * it falls back to a tenth of the lr at the minimum.
 */
public final class LearningRateFinder {
    /** Smoothing factor of the loss curve. */
    public static final double BETA = 0.95;
    /** The test stops when the smoothed loss exceeds this multiple of its minimum. */
    public static final double STOP_FACTOR = 4;
    /** Points at the start ignored by the suggestion. */
    public static final int SKIP_START = 10;

    /**
     * The recorded curve.
     *
     * @param lrs        the learning rate of each step taken
     * @param losses     the batch loss of each step
     * @param smoothed   the smoothed loss S_k
     * @param suggestion the suggested learning rate
     * @param minimumLr  the learning rate at the minimum of the smoothed loss
     */
    public record Result(double[] lrs, double[] losses, double[] smoothed, double suggestion, double minimumLr) {
    }

    private LearningRateFinder() {
    }

    /**
     * Runs the range test on {@code model} (its weights are changed).
     *
     * @param optimizer makes the optimizer for an absolute learning-rate schedule
     * @param batchSize examples per step; the data is cycled through as often as needed
     * @param progress  told "step k/N  lr …  loss …" after every tenth of the steps
     */
    public static Result run(Module model, Loss loss, Function<Schedule, GradientTransformation> optimizer,
                             Dataset train, int batchSize, long seed, double lrMin, double lrMax, int steps,
                             Consumer<String> progress) {
        if (!(lrMin > 0) || !(lrMax > lrMin) || steps < 2) {
            throw new IllegalArgumentException("0 < lr_min < lr_max and steps ≥ 2 required");
        }
        Schedule lr = count -> lrAt(count, lrMin, lrMax, steps);
        Optimizer opt = new Optimizer(optimizer.apply(lr), model);
        DataLoader loader = new DataLoader(train, batchSize, true, seed, false);
        double[] lrs = new double[steps], losses = new double[steps], smoothed = new double[steps];
        double average = 0, best = Double.POSITIVE_INFINITY;
        int k = 0;
        model.train(true);
        outer:
        for (int epoch = 1; ; epoch++) {
            for (DataLoader.Batch b : loader.epoch(epoch)) {
                model.reseed(seed + k);
                opt.zeroGrad();
                Tensor l = loss.apply(model.forward(b.inputs()), b.targets());
                double value = l.item();
                if (!Double.isFinite(value)) {
                    break outer;
                }
                average = BETA * average + (1 - BETA) * value;
                double s = average / (1 - Math.pow(BETA, k + 1));
                lrs[k] = lr.at(k);
                losses[k] = value;
                smoothed[k] = s;
                k++;
                if (k % Math.max(1, steps / 10) == 0) {
                    progress.accept(String.format(Locale.ROOT, "step %d/%d  lr %.2g  loss %.4f", k, steps, lrs[k - 1], s));
                }
                best = Math.min(best, s);
                if (k == steps || s > STOP_FACTOR * best) {
                    break outer;
                }
                l.backward();
                opt.step();
            }
        }
        double[] x = Arrays.copyOf(lrs, k), y = Arrays.copyOf(smoothed, k);
        return new Result(x, Arrays.copyOf(losses, k), y, suggest(x, y), x.length == 0 ? Double.NaN : x[argmin(y)]);
    }

    /** {@code lr_k} of the class comment. */
    public static double lrAt(long k, double lrMin, double lrMax, int steps) {
        return lrMin * Math.pow(lrMax / lrMin, (double) k / (steps - 1));
    }

    /**
     * The steepest-descent learning rate of a smoothed curve (see the class comment), or NaN for an
     * empty curve. The slope at point i is the central difference
     * {@code (S_{i+w} − S_{i−w}) / (ln lr_{i+w} − ln lr_{i−w})}, w = max(1, n/20).
     */
    public static double suggest(double[] lrs, double[] smoothed) {
        if (lrs.length == 0) {
            return Double.NaN;
        }
        int minimum = argmin(smoothed);
        int bestIndex = -1;
        double steepest = 0;
        int w = Math.max(1, lrs.length / 20);
        for (int i = Math.max(w, SKIP_START); i < minimum && i + w < lrs.length; i++) {
            double slope = (smoothed[i + w] - smoothed[i - w]) / (Math.log(lrs[i + w]) - Math.log(lrs[i - w]));
            if (slope < steepest) {
                steepest = slope;
                bestIndex = i;
            }
        }
        return bestIndex >= 0 ? lrs[bestIndex] : lrs[minimum] / 10;
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
