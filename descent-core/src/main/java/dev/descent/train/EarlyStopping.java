package dev.descent.train;

import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the validation loss has not improved by more than {@code minDelta}
 * for {@code patience} epochs, and optionally puts back the weights of the best epoch.
 * Without a validation set it watches the training loss.
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int stoppedEpoch;
    private int waited;
    private Map<String, Tensor> bestWeights;

    public EarlyStopping(int patience, double minDelta, boolean restoreBest) {
        if (patience < 1 || minDelta < 0) {
            throw new IllegalArgumentException("patience must be ≥ 1 and min delta ≥ 0");
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochStats stats) {
        double value = Double.isNaN(stats.validationLoss()) ? stats.trainLoss() : stats.validationLoss();
        if (value < best - minDelta) {
            best = value;
            bestEpoch = stats.epoch();
            waited = 0;
            if (restoreBest) {
                bestWeights = new LinkedHashMap<>();
                trainer.model().namedTensors().forEach((name, t) -> bestWeights.put(name, t.copy()));
            }
        } else if (++waited >= patience) {
            stoppedEpoch = stats.epoch();
            trainer.requestStop();
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (restoreBest && bestWeights != null) {
            trainer.model().namedTensors().forEach((name, t) -> t.copyFromInPlace(bestWeights.get(name)));
        }
    }

    /** The epoch with the lowest monitored loss (0 before any). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The lowest monitored loss. */
    public double bestLoss() {
        return best;
    }

    /** The epoch at which training was stopped, or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
