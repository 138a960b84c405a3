package dev.descent.spark;

import dev.descent.train.LocalSteps;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serial;
import java.io.Serializable;

/**
 * What every share needs for one round of local steps ({@link LocalSteps}): the model's
 * description, the broadcast weights and optimizer state, the plan, the round's batches
 * (training-set rows, in batch order) with their dropout seeds, the driver's step count and
 * the rows of all the round's batches.
 */
record RoundInput(String config, Broadcast<WorkerModels.Weights> weights, Broadcast<LocalSteps.State> state,
                  LocalSteps plan, int[][] batches, long[] maskSeeds, long step, long rows) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
