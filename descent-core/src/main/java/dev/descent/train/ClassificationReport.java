package dev.descent.train;

import dev.descent.DescentException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics from predicted class probabilities {@code p[i][c]} and true classes
 * {@code y_i}; the predicted class is {@code ŷ_i = argmax_c p[i][c]} (the first on ties).
 * With the confusion matrix {@code M[t][p]} (rows: true class, columns: predicted):
 * <ul>
 *   <li>accuracy {@code = Σ_c M[c][c] / N}</li>
 *   <li>recall {@code R_c = M[c][c] / Σ_p M[c][p]}, precision {@code P_c = M[c][c] / Σ_t M[t][c]}
 *       (0 when the denominator is 0), {@code F1_c = 2·P_c·R_c / (P_c + R_c)} (0 when both are 0)</li>
 *   <li>macro precision, recall and F1: their plain means over the classes that occur in the
 *       truth or the predictions; balanced accuracy: the mean recall over the classes in the truth</li>
 *   <li>log loss {@code = −(1/N) Σ_i ln max(p[i][y_i], 1e-15)}</li>
 *   <li>ROC AUC (two classes only, scores {@code p[i][1]}): the probability that a random positive
 *       scores above a random negative, ties counting one half,
 *       {@code (Σ ranks of positives − n₊(n₊+1)/2) / (n₊·n₋)} with average ranks for ties; NaN when
 *       the truth holds one class only</li>
 * </ul>
 */
public final class ClassificationReport implements Report {
    private static final double FLOOR = 1e-15;

    private final long[][] confusion;
    private final double logLoss;
    private final double rocAuc;
    private final int count;

    private ClassificationReport(long[][] confusion, double logLoss, double rocAuc, int count) {
        this.confusion = confusion;
        this.logLoss = logLoss;
        this.rocAuc = rocAuc;
        this.count = count;
    }

    /** The report of {@code probabilities[i][c]} against the true classes {@code labels[i]} in {@code [0, classes)}. */
    public static ClassificationReport of(double[][] probabilities, int[] labels, int classes) {
        if (probabilities.length != labels.length || labels.length == 0) {
            throw new DescentException("a classification report needs one probability row per label, got "
                    + probabilities.length + " rows and " + labels.length + " labels");
        }
        long[][] confusion = new long[classes][classes];
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] p = probabilities[i];
            int predicted = 0;
            for (int c = 1; c < classes; c++) {
                if (p[c] > p[predicted]) {
                    predicted = c;
                }
            }
            confusion[labels[i]][predicted]++;
            loss -= Math.log(Math.max(FLOOR, p[labels[i]]));
        }
        double auc = classes == 2 ? rocAuc(probabilities, labels) : Double.NaN;
        return new ClassificationReport(confusion, loss / labels.length, auc, labels.length);
    }

    private static double rocAuc(double[][] probabilities, int[] labels) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[a][1], probabilities[b][1]));
        double positiveRanks = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && probabilities[order[end + 1]][1] == probabilities[order[start]][1]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                if (labels[order[k]] == 1) {
                    positiveRanks += averageRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** The confusion matrix {@code M[true][predicted]} (a copy). */
    public long[][] confusion() {
        return Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }

    public int classes() {
        return confusion.length;
    }

    public int count() {
        return count;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        return (double) correct / count;
    }

    public double logLoss() {
        return logLoss;
    }

    /** NaN unless there are two classes and both occur in the truth. */
    public double rocAuc() {
        return rocAuc;
    }

    private long truthCount(int c) {
        return Arrays.stream(confusion[c]).sum();
    }

    private long predictedCount(int c) {
        long s = 0;
        for (long[] row : confusion) {
            s += row[c];
        }
        return s;
    }

    public double recall(int c) {
        long t = truthCount(c);
        return t == 0 ? 0 : (double) confusion[c][c] / t;
    }

    public double precision(int c) {
        long p = predictedCount(c);
        return p == 0 ? 0 : (double) confusion[c][c] / p;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean recall over the classes that occur in the truth. */
    public double balancedAccuracy() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (truthCount(c) > 0) {
                sum += recall(c);
                n++;
            }
        }
        return sum / n;
    }

    private double macro(java.util.function.IntToDoubleFunction metric) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (truthCount(c) > 0 || predictedCount(c) > 0) {
                sum += metric.applyAsDouble(c);
                n++;
            }
        }
        return sum / n;
    }

    public double macroPrecision() {
        return macro(this::precision);
    }

    public double macroRecall() {
        return macro(this::recall);
    }

    public double macroF1() {
        return macro(this::f1);
    }

    /** accuracy, balanced_accuracy, log_loss, macro_precision, macro_recall, macro_f1 and, for two classes, roc_auc. */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("balanced_accuracy", balancedAccuracy());
        m.put("log_loss", logLoss);
        m.put("macro_precision", macroPrecision());
        m.put("macro_recall", macroRecall());
        m.put("macro_f1", macroF1());
        if (classes() == 2) {
            m.put("roc_auc", rocAuc);
        }
        return m;
    }
}
