package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

/**
 * The output-layer initialization rule: the last {@link Linear} layer starts with weights
 * {@code W = 0} and a bias that makes the untrained network predict the training set's
 * base rate, so training starts from the naive baseline instead of a random guess:
 * <ul>
 *   <li>{@link #REGRESSION}: {@code b_j = mean_i y_ij}, the target mean</li>
 *   <li>{@link #SOFTMAX}: {@code b_c = ln p_c}, with {@code p_c} the share of label {@code c}
 *       among the class indices {@code [N]} (then {@code softmax(b) = p})</li>
 *   <li>{@link #SIGMOID}: {@code b_j = ln(p_j / (1 − p_j))}, the inverse sigmoid of the share
 *       {@code p_j} of ones among 0/1 targets</li>
 * </ul>
 * Probabilities are clamped to {@code [1e-7, 1 − 1e-7]}, so a class absent from the training
 * set gets a finite bias of {@code ln 1e-7 ≈ −16.1}.
 */
public enum OutputInit {
    REGRESSION {
        @Override
        double[] bias(double[] targets, int outputs) {
            return columnMeans(targets, outputs);
        }
    },
    SOFTMAX {
        @Override
        double[] bias(double[] labels, int classes) {
            double[] share = new double[classes];
            for (double label : labels) {
                int c = (int) label;
                if (c != label || c < 0 || c >= classes) {
                    throw new DescentException("class label " + label + " does not fit an output layer of "
                            + classes + " classes: labels must be whole numbers 0.." + (classes - 1));
                }
                share[c] += 1.0 / labels.length;
            }
            for (int c = 0; c < classes; c++) {
                share[c] = Math.log(clamp(share[c]));
            }
            return share;
        }
    },
    SIGMOID {
        @Override
        double[] bias(double[] targets, int outputs) {
            double[] p = columnMeans(targets, outputs);
            for (int j = 0; j < outputs; j++) {
                double q = clamp(p[j]);
                p[j] = Math.log(q / (1 - q));
            }
            return p;
        }
    };

    private static final double EPSILON = 1e-7;

    /**
     * Sets {@code layer}'s weight to zero and its bias by this rule from the training
     * {@code targets}: {@code [N, out]} (or {@code [N]} for one output) values for
     * {@link #REGRESSION} and {@link #SIGMOID}, class indices {@code [N]} for {@link #SOFTMAX}.
     */
    public void apply(Linear layer, Tensor targets) {
        if (targets.size() == 0) {
            throw new DescentException("output-layer initialization needs training targets, got none");
        }
        double[] b = bias(targets.toDoubleArray(), layer.outFeatures());
        Tensor bias = Tensor.of(b, b.length).to(layer.bias().dtype());
        layer.setParameter("weight", Tensor.zeros(layer.weight().dtype(), layer.weight().shape()));
        layer.setParameter("bias", bias);
    }

    /** The bias for {@code outputs} units from the flat training targets. */
    abstract double[] bias(double[] targets, int outputs);

    private static double[] columnMeans(double[] targets, int outputs) {
        if (targets.length % outputs != 0) {
            throw new DescentException(targets.length + " target values do not fill rows of " + outputs
                    + " outputs: give targets of shape [N, " + outputs + "]");
        }
        int rows = targets.length / outputs;
        double[] mean = new double[outputs];
        for (int i = 0; i < targets.length; i++) {
            mean[i % outputs] += targets[i] / rows;
        }
        return mean;
    }

    private static double clamp(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    }
}
