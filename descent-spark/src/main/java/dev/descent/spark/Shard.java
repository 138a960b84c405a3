package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.LocalSteps;
import dev.descent.train.Trainer;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One share of the training set as it lies on an executor: rows {@code [first, first + n)}, as
 * plain arrays (Spark serializes them once and keeps them cached), and the gradient sum of the
 * batch rows that fall into it.
 */
final class Shard implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int first;
    private final float[] inputs;
    private final int[] inputDims;
    private final float[] targets;
    private final int[] targetDims;
    private transient Dataset data;

    private Shard(int first, Dataset part) {
        this.first = first;
        this.inputs = part.inputs().toFloatArray();
        this.inputDims = part.inputs().dims();
        this.targets = part.targets().toFloatArray();
        this.targetDims = part.targets().dims();
    }

    /** The training set in {@code shares} contiguous shares of (nearly) equal size. */
    static List<Shard> split(Dataset train, int shares) {
        int n = train.size();
        return java.util.stream.IntStream.range(0, shares).mapToObj(k -> {
            int from = (int) ((long) n * k / shares), to = (int) ((long) n * (k + 1) / shares);
            return new Shard(from, train.slice(from, to));
        }).toList();
    }

    private Dataset data() {
        if (data == null) {
            data = new Dataset(Tensor.of(inputs, inputDims), Tensor.of(targets, targetDims));
        }
        return data;
    }

    /**
     * The rows of {@code batch} (training-set rows, in batch order) that lie in this share: their
     * indices in the share ({@code [0]}) and their positions in the batch ({@code [1]}).
     */
    private int[][] mine(int[] batch) {
        int size = inputDims[0];
        int[] local = new int[batch.length], positions = new int[batch.length];
        int k = 0;
        for (int j = 0; j < batch.length; j++) {
            int r = batch[j] - first;
            if (r >= 0 && r < size) {
                local[k] = r;
                positions[k++] = j;
            }
        }
        return new int[][] {Arrays.copyOf(local, k), Arrays.copyOf(positions, k)};
    }

    /**
     * This share's part of a round of local steps ({@link LocalSteps#share}): its rows of every
     * batch of the round, trained on from the round's weights and optimizer state.
     */
    LocalSteps.Sum round(RoundInput round) {
        Model model = WorkerModels.model(round.config(), round.weights().value());
        List<LocalSteps.Part> parts = new ArrayList<>(round.batches().length);
        for (int j = 0; j < round.batches().length; j++) {
            int[][] mine = mine(round.batches()[j]);
            parts.add(new LocalSteps.Part(data().subset(mine[0]), mine[1], round.batches()[j].length, round.maskSeeds()[j]));
        }
        return round.plan().share(model, round.state().value(), round.step(), parts, round.rows());
    }

    /**
     * Adds to {@code sum} the gradient sum {@code Σ_{i ∈ batch ∩ this share} ∇ℓ_i(w)} of the batch
     * {@code rows} (training-set rows, in batch order), with the dropout masks of one machine's
     * pass over the whole batch, and its running statistics times its rows (batch normalization
     * normalizes with this share's rows' statistics, as PyTorch's DDP without SyncBatchNorm).
     */
    GradientSum addGradient(GradientSum sum, StepInput step) {
        int[][] mine = mine(step.rows());
        int[] local = mine[0], positions = mine[1];
        int k = local.length;
        if (k == 0) {
            return sum;
        }
        Model model = WorkerModels.model(step.config(), step.weights().value());
        var network = model.network();
        network.train(true);
        network.zeroGrad();
        Dataset part = data().subset(local);
        Trainer.Pass pass = Trainer.pass(network, model.loss(), null, model.task(), part.inputs(), part.targets(),
                () -> network.reseed(step.maskSeed(), positions, step.rows().length));
        List<Tensor> parameters = network.parameters();
        List<Tensor> buffers = List.copyOf(network.namedBuffers().values());
        float[][] grads = new float[parameters.size() + buffers.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            Tensor g = parameters.get(i).grad();
            grads[i] = g == null ? new float[parameters.get(i).size()] : g.toFloatArray();
        }
        for (int i = 0; i < buffers.size(); i++) { // running statistics after this share's rows: averaged like gradients
            grads[parameters.size() + i] = buffers.get(i).toFloatArray();
        }
        return sum.add(new GradientSum(grads, k, pass.value() * k, pass.correct()));
    }
}
