package dev.descent.spark;

import org.apache.spark.broadcast.Broadcast;

import java.io.Serial;
import java.io.Serializable;

/**
 * What every share needs for one step: the model's description ({@code config.json}'s model
 * part), the broadcast weights, the batch's training-set rows in batch order and the batch's
 * dropout seed.
 */
record StepInput(String config, Broadcast<WorkerModels.Weights> weights, int[] rows, long maskSeed) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
