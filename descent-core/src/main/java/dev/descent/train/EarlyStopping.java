package dev.descent.train;

import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored loss has not improved by more than {@code minDelta} for
 * {@code patience} epochs, and optionally puts back the weights of the best epoch. It watches
 * the validation loss, or the training loss when there is no validation set.
 *
 * <p>Its state ({@link #state()}, {@link #bestWeights()}) is saved with a checkpoint and
 * {@link #restore restored} when the run resumes, so a resumed run stops where the
 * uninterrupted one would.
 */
public final class EarlyStopping implements Callback {
    /**
     * What early stopping remembers between epochs.
     *
     * @param best      the lowest monitored loss so far ({@code +∞} before any epoch)
     * @param bestEpoch the epoch that reached it (0 before any)
     * @param waited    epochs since then without an improvement
     */
    public record State(double best, int bestEpoch, int waited) {
    }

    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private State state = new State(Double.POSITIVE_INFINITY, 0, 0);
    private int stoppedEpoch;
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
        if (value < state.best() - minDelta) {
            state = new State(value, stats.epoch(), 0);
            if (restoreBest) {
                bestWeights = new LinkedHashMap<>();
                trainer.model().namedTensors().forEach((name, t) -> bestWeights.put(name, t.copy()));
            }
        } else {
            state = new State(state.best(), state.bestEpoch(), state.waited() + 1);
            if (state.waited() >= patience) {
                stoppedEpoch = stats.epoch();
                trainer.requestStop();
            }
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
        return state.bestEpoch();
    }

    /** The epoch at which training was stopped, or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** What to save to resume later. */
    public State state() {
        return state;
    }

    /** The weights of the best epoch so far (by name), or null when none were kept. */
    public Map<String, Tensor> bestWeights() {
        return bestWeights;
    }

    /** Continues from a saved state and, when the best weights are restored at the end, the best epoch's weights. */
    public void restore(State saved, Map<String, Tensor> savedBestWeights) {
        this.state = saved;
        this.bestWeights = restoreBest && saved.bestEpoch() > 0 ? new LinkedHashMap<>(savedBestWeights) : null;
    }
}
