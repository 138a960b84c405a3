package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.optim.Optimizer;

import java.util.List;

/**
 * Where the gradients of the training batches are computed when not on this machine: a
 * cluster that holds the training set in shares and computes, for each batch, the gradient
 * <i>sum</i> of its share, {@code g = (1/B) Σ_k Σ_{i ∈ batch ∩ share_k} ∇ℓ_i(w)}, which is the
 * gradient of the batch's mean loss that {@link Trainer} computes here. The optimizer, the
 * penalty, the callbacks and the checkpoints stay where the {@link Trainer} runs: only the
 * forward and backward passes move. Set with {@link TrainingSettings#batchGradients}; a
 * {@link Cluster} provides them.
 */
public interface BatchGradients {
    /**
     * Starts a fit of {@code model} (built, its weights current) on {@code train} (encoded): the
     * training set goes to the workers once.
     */
    Session start(Model model, Dataset train);

    /** The gradients of one fit; closed when the fit ends. */
    interface Session extends AutoCloseable {
        /**
         * Puts into every parameter's gradient the gradient of the mean loss over {@code rows} of
         * the training set at the current weights, with the dropout masks the whole batch would
         * get from {@code maskSeed} on one machine ({@link dev.descent.nn.Module#reseed(long, int[], int)}).
         *
         * @return the batch's mean loss and, for classification, how many of its rows were right
         */
        Step gradient(int[] rows, long maskSeed);

        /**
         * One round of local SGD ({@link LocalSteps}): from the current weights and the state of
         * {@code optimizer}, every share takes one step of its own copy of the optimizer per batch
         * of {@code batches} (training-set rows; the masks of batch {@code j} from
         * {@code maskSeeds[j]}) on its rows of that batch; then the weights and {@code optimizer}'s
         * state become the shares' mean, weighted by the rows each saw. The step count is the
         * caller's to advance.
         *
         * @return each batch's mean loss over its rows (the shares' losses before their steps) and right rows
         */
        Round round(LocalSteps plan, List<int[]> batches, long[] maskSeeds, Optimizer optimizer);

        @Override
        void close();
    }

    /**
     * What one batch's forward pass gave.
     *
     * @param loss    the mean loss over the batch (without the penalty)
     * @param correct the rows whose predicted class is right (0 for regression)
     */
    record Step(double loss, long correct) {
    }

    /**
     * What one round of local steps gave, per batch.
     *
     * @param losses  each batch's mean loss over its rows (without the penalty)
     * @param correct each batch's rows whose predicted class was right (0 for regression)
     */
    record Round(double[] losses, long[] correct) {
    }
}
