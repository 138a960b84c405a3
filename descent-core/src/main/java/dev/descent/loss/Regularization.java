package dev.descent.loss;

import dev.descent.DescentException;
import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;

import java.util.Map;

/**
 * Weight penalty {@code R = λ₁·Σ|w| + λ₂·Σ w²} (L1 and L2) to add to the loss, summed over
 * the weight tensors of a module: the parameters named {@code "weight"} or ending in
 * {@code ".weight"}. Biases are not penalized.
 */
public record Regularization(double l1, double l2) {
    public Regularization {
        if (!(l1 >= 0) || !(l2 >= 0)) {
            throw new DescentException("regularization strengths must be ≥ 0, got l1=" + l1 + ", l2=" + l2);
        }
    }

    /** The L1 penalty {@code λ·Σ|w|}. */
    public static Regularization l1(double lambda) {
        return new Regularization(lambda, 0);
    }

    /** The L2 penalty {@code λ·Σ w²}. */
    public static Regularization l2(double lambda) {
        return new Regularization(0, lambda);
    }

    /** {@code λ₁·Σ|w| + λ₂·Σ w²} over {@code module}'s weights, a scalar (0 when there are none or both λ are 0). */
    public Tensor penalty(Module module) {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            String name = e.getKey();
            if (!name.equals("weight") && !name.endsWith(".weight")) {
                continue;
            }
            Tensor w = e.getValue();
            Tensor term = null;
            if (l1 > 0) {
                term = w.abs().sum().mul(l1);
            }
            if (l2 > 0) {
                Tensor sq = w.square().sum().mul(l2);
                term = term == null ? sq : term.add(sq);
            }
            if (term != null) {
                total = total == null ? term : total.add(term);
            }
        }
        return total == null ? Tensor.scalar(0) : total;
    }
}
