package dev.descent.data;

import dev.descent.DescentException;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Train/validation splits of a training set. The validation part never overlaps the
 * training part, and both keep the original example order.
 */
public final class Splits {
    private Splits() {
    }

    /** A training part and a held-out validation part. */
    public record Split(Dataset train, Dataset validation) {
    }

    /**
     * Holds out the last {@code round(N · fraction)} examples: train is examples
     * {@code [0, N - v)}, validation is {@code [N - v, N)}.
     */
    public static Split holdoutLast(Dataset data, double fraction) {
        int n = data.size(), v = validationCount(n, fraction, "the data set");
        if (v == 0) {
            throw new DescentException("a validation fraction of " + fraction + " of " + n
                    + " examples holds out none; use a larger validation fraction");
        }
        return new Split(data.slice(0, n - v), data.slice(n - v, n));
    }

    /**
     * Holds out {@code max(1, round(n_c · fraction))} examples of each class {@code c}, chosen at
     * random (seeded) among the {@code n_c} examples of that class, so both parts keep the class
     * proportions. Every class needs at least two examples.
     */
    public static Split stratified(Dataset data, double fraction, long seed) {
        checkFraction(fraction);
        int[] labels = data.labels();
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] held = new boolean[labels.length];
        int[][] byClass = byClass(labels);
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c];
            if (members.length == 0) {
                continue;
            }
            int v = Math.max(1, validationCount(members.length, fraction, "class " + c));
            DataLoader.shuffle(members, rng);
            for (int i = 0; i < v; i++) {
                held[members[i]] = true;
            }
        }
        int[] val = IntStream.range(0, labels.length).filter(i -> held[i]).toArray();
        int[] train = IntStream.range(0, labels.length).filter(i -> !held[i]).toArray();
        return new Split(data.subset(train), data.subset(val));
    }

    private static int validationCount(int n, double fraction, String what) {
        checkFraction(fraction);
        int v = (int) Math.round(n * fraction);
        if (n < 2 || v >= n) {
            throw new DescentException(what + " has only " + n + " examples, too few to hold out a fraction of "
                    + fraction + " and keep some for training; use more data or a smaller validation fraction");
        }
        return v;
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DescentException("the validation fraction must be between 0 and 1 (exclusive), got " + fraction
                    + "; pass e.g. 0.1");
        }
    }

    private static int[][] byClass(int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        int[][] members = new int[classes][];
        Arrays.setAll(members, c -> new int[counts[c]]);
        int[] filled = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            members[labels[i]][filled[labels[i]]++] = i;
        }
        return members;
    }
}
