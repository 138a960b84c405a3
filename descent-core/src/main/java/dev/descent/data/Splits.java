package dev.descent.data;

import dev.descent.DescentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        IndexSplit split = stratifiedIndices(data.labels(), fraction, seed);
        return new Split(data.subset(split.train()), data.subset(split.test()));
    }

    /** The row indices of a training part and a held-out part, each in increasing order. */
    public record IndexSplit(int[] train, int[] test) {
    }

    /** {@link #stratified(Dataset, double, long)} on class labels alone: which rows go to each part. */
    public static IndexSplit stratifiedIndices(int[] labels, double fraction, long seed) {
        checkFraction(fraction);
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
        return partition(held);
    }

    /**
     * Holds out {@code round(N · fraction)} rows chosen at random (seeded) among {@code n}.
     */
    public static IndexSplit randomIndices(int n, double fraction, long seed) {
        int v = validationCount(n, fraction, "the data set");
        int[] order = IntStream.range(0, n).toArray();
        DataLoader.shuffle(order, new SplittableRandom(seed));
        boolean[] held = new boolean[n];
        for (int i = 0; i < Math.max(1, v); i++) {
            held[order[i]] = true;
        }
        return partition(held);
    }

    /**
     * K-fold cross-validation: the {@code n} rows shuffled (seeded) and dealt into {@code k}
     * folds whose sizes differ by at most one; split {@code f} tests on fold {@code f} and
     * trains on the others, so every row is tested exactly once.
     */
    public static List<IndexSplit> kFold(int n, int k, long seed) {
        checkFolds(n, k);
        int[] order = IntStream.range(0, n).toArray();
        DataLoader.shuffle(order, new SplittableRandom(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % k;
        }
        return folds(fold, k);
    }

    /**
     * Stratified k-fold cross-validation: the rows of each class shuffled (seeded) and dealt in
     * turn into the {@code k} folds (each class continuing where the last one stopped), so each
     * fold keeps the class proportions to within one row per class.
     */
    public static List<IndexSplit> stratifiedKFold(int[] labels, int k, long seed) {
        checkFolds(labels.length, k);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (int[] members : byClass(labels)) {
            DataLoader.shuffle(members, rng);
            for (int m : members) {
                fold[m] = next++ % k;
            }
        }
        return folds(fold, k);
    }

    private static void checkFolds(int n, int k) {
        if (k < 2 || k > n) {
            throw new DescentException("cross-validation needs between 2 and " + n + " folds (one row per fold at least),"
                    + " got " + k + "; pass e.g. --cv 5");
        }
    }

    private static List<IndexSplit> folds(int[] fold, int k) {
        List<IndexSplit> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            boolean[] held = new boolean[fold.length];
            for (int i = 0; i < fold.length; i++) {
                held[i] = fold[i] == f;
            }
            out.add(partition(held));
        }
        return out;
    }

    private static IndexSplit partition(boolean[] held) {
        int[] test = IntStream.range(0, held.length).filter(i -> held[i]).toArray();
        int[] train = IntStream.range(0, held.length).filter(i -> !held[i]).toArray();
        return new IndexSplit(train, test);
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
