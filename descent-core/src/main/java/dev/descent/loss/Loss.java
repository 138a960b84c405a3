package dev.descent.loss;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

/**
 * A training objective: the MEAN loss of a batch of predictions against targets, a scalar
 * tensor to call {@link Tensor#backward()} on. Targets never receive a gradient. The
 * factories write their formula (means over all elements unless stated):
 * <ul>
 *   <li>{@link #mse}: {@code mean (ŷ − y)²}; {@link #mae}: {@code mean |ŷ − y|}</li>
 *   <li>{@link #huber}: {@code mean h(ŷ − y)}, {@code h(d) = d²/2} for {@code |d| ≤ δ},
 *       {@code δ(|d| − δ/2)} otherwise</li>
 *   <li>{@link #binaryCrossEntropyWithLogits}: {@code mean softplus(z) − z·y}</li>
 *   <li>{@link #softmaxCrossEntropy}: {@code (1/N) Σ_i (ln Σ_c e^(z_ic) − Σ_c t_ic z_ic)}</li>
 *   <li>{@link #nll}: {@code −(1/N) Σ_i logp[i, y_i]}</li>
 *   <li>{@link #klDivergence}: {@code (1/N) Σ p (ln p − ln q)}</li>
 * </ul>
 */
@FunctionalInterface
public interface Loss {
    /** The mean loss of {@code prediction} against {@code target}, a scalar. */
    Tensor apply(Tensor prediction, Tensor target);

    /** Mean squared error {@code mean (ŷ − y)²}; prediction and target have the same shape. */
    static Loss mse() {
        return (p, y) -> difference(p, y, "mse").square().mean();
    }

    /** Mean absolute error {@code mean |ŷ − y|}; prediction and target have the same shape. */
    static Loss mae() {
        return (p, y) -> difference(p, y, "mae").abs().mean();
    }

    /** Huber loss with {@code δ = 1}. */
    static Loss huber() {
        return huber(1);
    }

    /**
     * Huber loss {@code mean h(ŷ − y)}, {@code h(d) = d²/2} for {@code |d| ≤ δ} and
     * {@code δ(|d| − δ/2)} beyond: computed as {@code m²/2 + δ·(|d| − m)} with {@code m = min(|d|, δ)}.
     */
    static Loss huber(double delta) {
        if (!(delta > 0)) {
            throw new DescentException("huber delta must be positive, got " + delta);
        }
        return (p, y) -> {
            Tensor a = difference(p, y, "huber").abs();
            Tensor m = a.minimum(Tensor.scalar(delta, a.dtype()));
            return m.square().mul(0.5).add(a.sub(m).mul(delta)).mean();
        };
    }

    /**
     * Binary cross-entropy of logits {@code z} against 0/1 (or probability) targets {@code y}:
     * {@code mean −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = mean softplus(z) − z·y}, stable for any {@code z}.
     */
    static Loss binaryCrossEntropyWithLogits() {
        return (z, y) -> {
            Tensor t = target(z, y, "binary cross-entropy");
            return z.softplus().sub(z.mul(t)).mean();
        };
    }

    /**
     * Softmax cross-entropy of logits {@code z [N, C]}: {@code (1/N) Σ_i (ln Σ_c e^(z_ic) − z_i,y_i)}
     * against class indices {@code [N]} (whole numbers stored as floats), or
     * {@code (1/N) Σ_i Σ_c t_ic (ln Σ_k e^(z_ik) − z_ic)} against one-hot or probability rows {@code t [N, C]}.
     * Logits with more axes, such as a sequence model's {@code [N, T, C]} with targets {@code [N, T]}
     * (or {@code [N, T, C]}), score every position: the mean runs over all {@code N·T} of them.
     */
    static Loss softmaxCrossEntropy() {
        return (z, y) -> {
            if (z.rank() > 2) {
                Losses.requireLeadingAxes(z, y, "softmax cross-entropy");
                int classes = z.dim(-1);
                return softmaxCrossEntropy().apply(z.reshape(-1, classes),
                        y.rank() == z.rank() ? y.reshape(-1, classes) : y.reshape(-1));
            }
            return y.rank() == 1 ? z.softmaxCrossEntropy(Losses.classIndices(z, y, "softmax cross-entropy"))
                    : z.softmaxCrossEntropy(target(z, y, "softmax cross-entropy"));
        };
    }

    /**
     * Bits per character (or per token) of a mean cross-entropy in nats: {@code L / ln 2}, the
     * measure of character-level language models.
     */
    static double bitsPerCharacter(double meanCrossEntropyNats) {
        return meanCrossEntropyNats / Math.log(2);
    }

    /** Negative log-likelihood of log-probabilities {@code logp [N, C]} and class indices {@code y [N]}: {@code −(1/N) Σ_i logp[i, y_i]}. */
    static Loss nll() {
        return (logp, y) -> logp.gather(1, Losses.classIndices(logp, y, "nll")).mean().neg();
    }

    /**
     * Kullback–Leibler divergence {@code KL(p ‖ q)} of target probabilities {@code p} from the
     * prediction's log-probabilities {@code ln q}, averaged over the batch ("batchmean", like
     * PyTorch's {@code kl_div}): {@code (1/N) Σ p (ln p − ln q)}, terms with {@code p = 0} counting 0.
     */
    static Loss klDivergence() {
        return (logq, p) -> {
            Tensor t = target(logq, p, "kl divergence");
            Tensor present = t.gt(0);
            Tensor crossEntropy = Tensor.where(present, logq, Tensor.scalar(0, logq.dtype())).mul(t).sum();
            double negEntropy = 0;
            for (double v : t.toDoubleArray()) {
                negEntropy += v > 0 ? v * Math.log(v) : 0;
            }
            return crossEntropy.neg().add(negEntropy).div(Math.max(1, logq.rank() == 0 ? 1 : logq.dim(0)));
        };
    }

    private static Tensor difference(Tensor p, Tensor y, String loss) {
        return p.sub(target(p, y, loss));
    }

    /** The target, detached and converted to the prediction's type, after checking the shapes match. */
    private static Tensor target(Tensor prediction, Tensor target, String loss) {
        if (!prediction.shape().equals(target.shape())) {
            throw new DescentException(loss + ": prediction shape " + prediction.shape() + " and target shape "
                    + target.shape() + " differ; give targets of shape " + prediction.shape());
        }
        return target.detach().to(prediction.dtype());
    }
}
