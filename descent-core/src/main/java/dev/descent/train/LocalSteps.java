package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.io.Json;
import dev.descent.io.StateCodec;
import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.OptState;
import dev.descent.optim.Optimizer;
import dev.descent.optim.UpdateContext;
import dev.descent.tensor.Tensor;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Local SGD with model averaging (Lin et al. 2018, "Don't use large mini-batches, use local
 * SGD"; the periodic averaging of elephas and Horovod): instead of one synchronous step per
 * batch, the cluster's shares take {@code K} steps each between two averagings. A round over
 * the next {@code K} batches {@code B_1 … B_K} of the {@link Trainer}'s order, from the weights
 * {@code w} and the optimizer state {@code s} of the driver:
 * <pre>
 *   every share k:  (w_k, s_k) := (w, s)
 *     for j = 1 … K, when B_j ∩ k is not empty:
 *       g := ∇ [ (1/|B_j ∩ k|) Σ_{i ∈ B_j ∩ k} ℓ_i(w_k) + penalty(w_k) ]
 *       (w_k, s_k) := one step of k's own copy of the configured optimizer with g
 *     n_k := Σ_j |B_j ∩ k|
 *   w := Σ_k (n_k / N) w_k,  N = Σ_j |B_j|           (the mean weighted by rows seen; running
 *                                                      statistics of batch normalization likewise)
 *   s := the same weighted mean for every tensor and real number of the state,
 *        the maximum for whole numbers (step counts: K more than before),
 *        and for flags whether every share has it set
 * </pre>
 * Each share draws its dropout masks as one machine would for the whole batch and keeps its
 * rows. The driver's step count and schedules advance by the {@code K} steps of the round.
 * {@code K = 1} is not a round: the {@link Trainer} then takes synchronous steps, one machine's.
 *
 * <p>An object of this class is what the workers need to rebuild the optimizer and the penalty
 * (the settings, as {@code config.json} writes them, and the run's step total for the schedule);
 * it travels to them serialized.
 */
public final class LocalSteps implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int steps;
    private final String settings;
    private final long totalSteps;

    /**
     * Rounds of {@code steps} local steps with the optimizer and penalty {@code settings} name,
     * the schedule spread over {@code totalSteps}.
     */
    public LocalSteps(int steps, TrainingSettings settings, long totalSteps) {
        this.steps = steps;
        this.settings = Json.write(settings.toConfig());
        this.totalSteps = totalSteps;
    }

    /** The local steps of a round ({@code K}). */
    public int steps() {
        return steps;
    }

    /** A fresh optimizer over {@code network}'s parameters, the one the driver trains with. */
    public Optimizer optimizer(Module network) {
        return new Optimizer(Training.optimizer(settings(), totalSteps), network);
    }

    private TrainingSettings settings() {
        return TrainingSettings.fromConfig(Json.parseObject(settings));
    }

    /**
     * One share's part of one batch of a round.
     *
     * @param rows      the share's rows of the batch (may be empty)
     * @param positions their positions in the batch
     * @param batchRows the rows of the whole batch
     * @param maskSeed  the batch's dropout seed ({@link Module#reseed(long, int[], int)})
     */
    public record Part(Dataset rows, int[] positions, int batchRows, long maskSeed) {
    }

    /**
     * A share's round, on a worker: {@code model} (its network gets the round's weights before)
     * and a copy of the optimizer in state {@code start} at step {@code step} take one step per
     * non-empty part, in order.
     *
     * @param roundRows {@code N}, the rows of all the round's batches: the share's sums are
     *                  weighted by {@code n_k / N}
     */
    public Sum share(Model model, State start, long step, List<Part> parts, long roundRows) {
        Module network = model.network();
        network.train(true);
        Optimizer optimizer = optimizer(network);
        optimizer.setState(start.restore(optimizer.state()));
        Function<Module, Tensor> penalty = Training.penalty(settings());
        Loss loss = model.loss();
        double[] losses = new double[parts.size()];
        long[] correct = new long[parts.size()];
        long seen = 0;
        for (int j = 0; j < parts.size(); j++) {
            Part part = parts.get(j);
            int n = part.positions().length;
            if (n == 0) {
                continue;
            }
            Runnable reseed = () -> network.reseed(part.maskSeed(), part.positions(), part.batchRows());
            Tensor inputs = part.rows().inputs(), targets = part.rows().targets();
            optimizer.zeroGrad();
            Trainer.Pass pass = Trainer.pass(network, loss, penalty, model.task(), inputs, targets, reseed);
            optimizer.setStepCount(step + j);
            optimizer.step(new UpdateContext(step + j, pass.objective(),
                    new BatchObjective(network, loss, penalty, inputs, targets, reseed)));
            losses[j] = pass.value() * n;
            correct[j] = pass.correct();
            seen += n;
        }
        return seen == 0 ? Sum.empty(parts.size()) : new Sum(network, optimizer.state(), seen, (double) seen / roundRows, losses, correct);
    }

    /** An optimizer's state as plain values, to send: tensors by {@link StateCodec} name, and scalars. */
    public record State(String[] names, int[][] dims, float[][] values, LinkedHashMap<String, Object> scalars)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The values of {@code state} ({@link StateCodec#flatten}). */
        public static State of(OptState state) {
            StateCodec.Flat flat = StateCodec.flatten(state);
            String[] names = flat.tensors().keySet().toArray(String[]::new);
            int[][] dims = new int[names.length][];
            float[][] values = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                dims[i] = flat.tensors().get(names[i]).dims();
                values[i] = flat.tensors().get(names[i]).toFloatArray();
            }
            return new State(names, dims, values, new LinkedHashMap<>(flat.scalars()));
        }

        /** A state like {@code template} with these values ({@link StateCodec#restore}). */
        OptState restore(OptState template) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                tensors.put(names[i], Tensor.of(values[i], dims[i]));
            }
            return StateCodec.restore(template, tensors, scalars);
        }
    }

    /**
     * The shares' contributions to a round's mean, added up ({@code treeAggregate}'s value): the
     * weights and optimizer states times {@code n_k / N}, the whole numbers' maximum, the flags'
     * conjunction, and per batch the loss sum and right rows. The empty sum has no arrays.
     */
    public static final class Sum implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final float[][] weights;
        private final State state;
        private final long rows;
        private final double[] losses;
        private final long[] correct;

        private Sum(float[][] weights, State state, long rows, double[] losses, long[] correct) {
            this.weights = weights;
            this.state = state;
            this.rows = rows;
            this.losses = losses;
            this.correct = correct;
        }

        /** {@code network}'s weights and {@code state} times {@code share}, after {@code rows} rows. */
        private Sum(Module network, OptState state, long rows, double share, double[] losses, long[] correct) {
            this(network.namedTensors().values().stream().map(p -> scaled(p.toFloatArray(), share)).toArray(float[][]::new),
                    scaled(State.of(state), share), rows, losses, correct);
        }

        /** The sum of no share, over {@code batches} batches. */
        public static Sum empty(int batches) {
            return new Sum(null, null, 0, new double[batches], new long[batches]);
        }

        private static float[] scaled(float[] values, double share) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] * share);
            }
            return values;
        }

        private static State scaled(State state, double share) {
            for (float[] v : state.values()) {
                scaled(v, share);
            }
            state.scalars().replaceAll((k, v) -> v instanceof Double d ? d * share : v);
            return state;
        }

        /** The rows the shares of this sum trained on. */
        public long rows() {
            return rows;
        }

        /** This sum and {@code other}, added into this one's arrays when it has them. */
        public Sum add(Sum other) {
            for (int j = 0; j < losses.length; j++) {
                losses[j] += other.losses[j];
                correct[j] += other.correct[j];
            }
            if (other.weights == null) {
                return this;
            }
            if (weights == null) {
                return new Sum(other.weights, other.state, other.rows, losses, correct);
            }
            addInto(weights, other.weights);
            addInto(state.values(), other.state.values());
            state.scalars().replaceAll((k, v) -> switch (v) {
                case Double d -> d + (Double) other.state.scalars().get(k);
                case Long l -> Math.max(l, (Long) other.state.scalars().get(k));
                case Integer i -> Math.max(i, (Integer) other.state.scalars().get(k));
                case Boolean b -> b && (Boolean) other.state.scalars().get(k);
                default -> throw new IllegalStateException("optimizer state value " + k + " is a " + v.getClass());
            });
            return new Sum(weights, state, rows + other.rows, losses, correct);
        }

        private static void addInto(float[][] into, float[][] more) {
            for (int p = 0; p < into.length; p++) {
                for (int i = 0; i < into[p].length; i++) {
                    into[p][i] += more[p][i];
                }
            }
        }

        /**
         * Puts the mean weights (and running statistics) into {@code network} and the mean state into
         * {@code optimizer}.
         *
         * @param batchRows the rows of each batch of the round
         * @return each batch's mean loss and right rows
         */
        public BatchGradients.Round applyTo(Module network, Optimizer optimizer, int[] batchRows) {
            List<Tensor> tensors = List.copyOf(network.namedTensors().values());
            for (int i = 0; i < tensors.size(); i++) {
                tensors.get(i).copyFromInPlace(Tensor.of(weights[i], tensors.get(i).dims()));
            }
            optimizer.setState(state.restore(optimizer.state()));
            double[] mean = new double[losses.length];
            for (int j = 0; j < mean.length; j++) {
                mean[j] = losses[j] / batchRows[j];
            }
            return new BatchGradients.Round(mean, correct.clone());
        }
    }
}
