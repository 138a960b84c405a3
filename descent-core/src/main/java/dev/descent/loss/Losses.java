package dev.descent.loss;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

/** Helpers shared by the {@link Loss} factories. */
final class Losses {
    private Losses() {
    }

    /**
     * Checks that targets for scores {@code [N, …, C]} are class indices {@code [N, …]} or rows
     * {@code [N, …, C]}: the scores' leading axes, with or without the class axis.
     */
    static void requireLeadingAxes(Tensor scores, Tensor targets, String loss) {
        int[] leading = java.util.Arrays.copyOf(scores.dims(), scores.rank() - 1);
        if (!java.util.Arrays.equals(targets.dims(), leading) && !targets.shape().equals(scores.shape())) {
            throw new DescentException(loss + " wants targets " + java.util.Arrays.toString(leading) + " (class indices)"
                    + " or " + scores.shape() + " for scores " + scores.shape() + "; got " + targets.shape());
        }
    }

    /** The class indices stored in {@code labels [N]} for scores {@code [N, C]}, checked to be whole and in range. */
    static int[] classIndices(Tensor scores, Tensor labels, String loss) {
        if (scores.rank() != 2 || labels.rank() != 1 || labels.dim(0) != scores.dim(0)) {
            throw new DescentException(loss + " wants scores [N, C] and class indices [N]; got "
                    + scores.shape() + " and " + labels.shape());
        }
        int classes = scores.dim(1);
        int[] index = new int[labels.size()];
        for (int i = 0; i < index.length; i++) {
            double v = labels.storage().get(i);
            index[i] = (int) v;
            if (index[i] != v || index[i] < 0 || index[i] >= classes) {
                throw new DescentException(loss + ": target " + v + " at row " + i + " is not a class index 0.."
                        + (classes - 1));
            }
        }
        return index;
    }
}
