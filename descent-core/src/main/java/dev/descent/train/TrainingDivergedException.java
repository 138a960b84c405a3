package dev.descent.train;

import dev.descent.DescentException;

import java.util.Locale;

/**
 * Thrown when training diverges: the loss of a batch is not finite (NaN or ±∞), or an epoch's
 * mean training loss exploded past {@value Diagnosis#EXPLOSION_FACTOR} times the first step's.
 * Its one-line message names where and suggests a lower learning rate; the command line exits
 * with its own status for it.
 *
 * @see Diagnosis
 */
public final class TrainingDivergedException extends DescentException {
    private final int epoch;
    private final long step;
    private final double loss;

    /**
     * A batch whose loss was not finite.
     *
     * @param epoch 1-based epoch of the failing batch
     * @param batch 1-based batch within the epoch
     * @param step  1-based optimizer step that would have followed
     * @param loss  the batch loss that was not finite
     */
    public TrainingDivergedException(int epoch, int batch, long step, double loss) {
        super(String.format(Locale.ROOT, "training diverged in epoch %d (batch %d, step %d): the loss became %s; %s",
                epoch, batch, step, loss, ADVICE));
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    /**
     * An epoch whose mean training loss {@code loss} exploded (or whose validation loss was not finite).
     *
     * @param firstLoss the loss of the run's first step
     */
    public TrainingDivergedException(int epoch, long step, double loss, double firstLoss) {
        super(String.format(Locale.ROOT, "training diverged in epoch %d (step %d): %s; %s", epoch, step,
                Double.isFinite(loss) ? String.format(Locale.ROOT, "the mean loss %.4g is more than %.0f× the first step's %.4g",
                        loss, Diagnosis.EXPLOSION_FACTOR, firstLoss) : "the loss became " + loss, ADVICE));
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    private static final String ADVICE = "lower the learning rate (--lr, e.g. 10× smaller) or find one with `descent lr-find`";

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
