package dev.descent.train;

import dev.descent.optim.Optimizer;

import java.util.List;

/**
 * What a fit did.
 *
 * @param history   the figures of every epoch run by this fit (a resumed fit: the epochs after the resume)
 * @param bestEpoch with early stopping, the epoch of the lowest monitored loss, whose weights the
 *                  model holds now; 0 without early stopping (the model holds the last epoch's)
 * @param optimizer the optimizer, with its state after the last step
 */
public record TrainingResult(List<EpochStats> history, int bestEpoch, Optimizer optimizer) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    TrainingResult(List<EpochStats> history, int bestEpoch, Trainer trainer) {
        this(history, bestEpoch, trainer.optimizer());
    }

    /** The last epoch run, or 0 when none was. */
    public int lastEpoch() {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }

    /** The epoch whose weights the model holds: the best one with early stopping, else the last. */
    public int keptEpoch() {
        return bestEpoch > 0 ? bestEpoch : lastEpoch();
    }

    /** The figures of the kept epoch, or null when it was not run by this fit. */
    public EpochStats kept() {
        return history.stream().filter(e -> e.epoch() == keptEpoch()).findFirst().orElse(null);
    }
}
