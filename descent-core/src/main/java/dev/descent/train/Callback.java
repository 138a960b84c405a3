package dev.descent.train;

/**
 * Behaviour added to the fixed training loop of {@link Trainer} (Keras style): progress
 * output, early stopping, history, checkpoints. Every method does nothing by default; a
 * callback stops training with {@link Trainer#requestStop()}.
 */
public interface Callback {

    /** Before the first epoch. */
    default void onTrainStart(Trainer trainer) {
    }

    /** After each optimizer step; {@code loss} is the batch's mean loss. */
    default void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
    }

    /** After each epoch's validation. */
    default void onEpochEnd(Trainer trainer, EpochStats stats) {
    }

    /** After the last epoch (also after an early stop). */
    default void onTrainEnd(Trainer trainer) {
    }
}
