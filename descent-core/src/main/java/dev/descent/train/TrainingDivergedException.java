package dev.descent.train;

import dev.descent.DescentException;

import java.util.Locale;

/**
 * Thrown by {@link Trainer} when the training objective stops being finite (NaN or ±∞): the run
 * diverged. It names where, so a diagnosis can point at the step and suggest a lower learning rate.
 *
 * @see Diagnosis
 */
public final class TrainingDivergedException extends DescentException {
    private final int epoch;
    private final int batch;
    private final long step;
    private final double loss;

    /**
     * @param epoch 1-based epoch of the failing batch
     * @param batch 1-based batch within the epoch
     * @param step  1-based optimizer step that would have followed
     * @param loss  the batch loss that was not finite
     */
    public TrainingDivergedException(int epoch, int batch, long step, double loss) {
        super(String.format(Locale.ROOT, "training diverged: the loss became %s at epoch %d, batch %d (step %d); "
                + "lower the learning rate (--lr) or check the inputs for NaN", loss, epoch, batch, step));
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
        this.loss = loss;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
