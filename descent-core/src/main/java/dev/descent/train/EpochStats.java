package dev.descent.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one training epoch. Values that do not apply (no validation set, accuracy
 * of a regression) are NaN.
 *
 * @param epoch              1-based epoch number
 * @param step               optimizer steps taken so far in the whole run
 * @param trainLoss          mean loss over the epoch's training batches (as trained, with dropout)
 * @param trainAccuracy      share of training examples classified correctly during the epoch
 * @param validationLoss     mean loss on the validation set after the epoch (evaluation mode)
 * @param validationAccuracy accuracy on the validation set after the epoch
 * @param validationBitsPerCharacter for a character model, the validation loss in bits per
 *                           character, {@code val_loss / ln 2}; NaN for other models
 * @param seconds            wall time of the epoch, training and validation
 * @param samplesPerSecond   training throughput
 */
public record EpochStats(int epoch, long step, double trainLoss, double trainAccuracy,
                         double validationLoss, double validationAccuracy, double validationBitsPerCharacter,
                         double seconds, double samplesPerSecond) {

    /** The figures by name, as written to the history file (NaN figures left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("step", step);
        put(m, "train_loss", trainLoss);
        put(m, "train_accuracy", trainAccuracy);
        put(m, "val_loss", validationLoss);
        put(m, "val_accuracy", validationAccuracy);
        put(m, "val_bpc", validationBitsPerCharacter);
        put(m, "seconds", seconds);
        put(m, "samples_per_sec", samplesPerSecond);
        return m;
    }

    private static void put(Map<String, Object> m, String key, double value) {
        if (!Double.isNaN(value)) {
            m.put(key, value);
        }
    }
}
