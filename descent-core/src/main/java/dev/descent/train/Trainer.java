package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.tensor.Autograd;
import dev.descent.data.DataLoader;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.ObjectiveFunction;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Params;
import dev.descent.optim.UpdateContext;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Workspace;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The learner loop of the lecture, fixed once: for each epoch, for each mini-batch,
 * <pre>
 *   output := model.forward(inputs)          (each layer's output, lowest to highest)
 *   L      := loss(output, targets) + penalty (mean over the batch)
 *   L.backward()                             (each layer's Backprop, highest to lowest)
 *   optimizer.step()                         (each layer's update)
 * </pre>
 * then an evaluation on the validation set. Behaviour is added with {@link Callback}s
 * (progress, early stopping, history, checkpoints), never by copying the loop.
 *
 * <p>Runs are reproducible: the batch order and the dropout masks of epoch {@code e} depend
 * only on the seed and {@code e}, so a run resumed after epoch {@code e} continues exactly.
 * Each step hands the optimizer the batch's objective as a function of the parameters
 * ({@link UpdateContext#valueFunction()}), so line-search optimizers such as L-BFGS work too.
 */
public final class Trainer {

    /** Evaluation runs in chunks of at most this many examples ... */
    private static final int EVALUATION_BATCH = 1000;
    /** ... and at most this many targets (a window of T characters has T), so its memory stays bounded. */
    private static final int EVALUATION_TARGETS = 10_000;

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 1;
    private int batchSize = 32;
    private long seed;
    private boolean dropLast;
    private Task task = Task.CLASSIFICATION;
    private int startEpoch;
    private long maxSteps;
    private Function<Module, Tensor> penalty;
    private boolean perCharacter;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<EpochStats> history = new ArrayList<>();
    /** Buffers of the training step, reused from one step to the next. */
    private final Workspace workspace = new Workspace();
    private boolean stopRequested;
    private DataLoader.BatchTransform augmentation;
    private BatchGradients.Session gradients;

    /**
     * A loop training {@code model} on {@code loss} with {@code optimizer}: one epoch of batches of
     * 32, seed 0, classification, until configured otherwise with the named setters below.
     */
    public Trainer(Module model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /** The last epoch to run (1-based; counted from the start, resumed runs included). */
    public Trainer epochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Examples per optimizer step. */
    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The seed of the batch order and of dropout. */
    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Whether to skip the last, smaller batch of each epoch. */
    public Trainer dropLast(boolean dropLast) {
        this.dropLast = dropLast;
        return this;
    }

    /** Classification (accuracy is tracked) or regression. */
    public Trainer task(Task task) {
        this.task = task;
        return this;
    }

    /** Epochs already done: training continues with epoch {@code startEpoch + 1} (resuming). */
    public Trainer startEpoch(int startEpoch) {
        if (startEpoch < 0) {
            throw new IllegalArgumentException("start epoch must be ≥ 0, got " + startEpoch);
        }
        this.startEpoch = startEpoch;
        return this;
    }

    /**
     * Stops when the optimizer has taken this many steps in all (0: no limit); the epoch then
     * ends early, validated and reported like a whole one.
     */
    public Trainer maxSteps(long maxSteps) {
        this.maxSteps = maxSteps;
        return this;
    }

    /**
     * Whether the loss is a character model's mean cross-entropy per character, so that each
     * epoch also reports the validation loss in bits per character ({@link Loss#bitsPerCharacter}).
     */
    public Trainer perCharacter(boolean perCharacter) {
        this.perCharacter = perCharacter;
        return this;
    }

    /** A regularization term added to the loss (L1/L2), or null for none. */
    public Trainer penalty(Function<Module, Tensor> penalty) {
        this.penalty = penalty;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public Task task() {
        return task;
    }

    public Trainer addCallback(Callback callback) {
        callbacks.add(callback);
        return this;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The statistics of the epochs run so far. */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /** Applies {@code transform} to the inputs of every training batch (not to validation); null: none. */
    public Trainer augmentTrainingInputs(DataLoader.BatchTransform transform) {
        this.augmentation = transform;
        return this;
    }

    /**
     * Computes each batch's loss and gradients with {@code session} (on a cluster) instead of on
     * this machine; null: here. The penalty and the optimizer step stay here.
     */
    public Trainer batchGradients(BatchGradients.Session session) {
        this.gradients = session;
        return this;
    }

    /** Asks the loop to stop after the current epoch. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains on {@code train}, validating on {@code validation} (may be null) after each epoch.
     *
     * @return the statistics of every epoch run
     * @throws TrainingDivergedException when the loss stops being finite (diverged)
     */
    public List<EpochStats> fit(Dataset train, Dataset validation) {
        DataLoader loader = new DataLoader(train, batchSize, true, seed, dropLast)
                .withTransform(augmentation);
        callbacks.forEach(c -> c.onTrainStart(this));
        for (int epoch = startEpoch + 1; epoch <= epochs && !stopRequested && !stepsDone(); epoch++) {
            long start = System.nanoTime();
            model.train(true);
            SplittableRandom seeds = new SplittableRandom(seed + epoch);
            double lossSum = 0;
            long seen = 0, correct = 0, labeled = 0;
            int batch = 0, batches = loader.batchesPerEpoch();
            Iterator<DataLoader.Batch> batchIterator = loader.epoch(epoch).iterator();
            while (batchIterator.hasNext() && !stepsDone()) {
                workspace.recycle(); // the previous step's batch, activations and gradients are dead
                DataLoader.Batch b;
                double objective;
                double value;
                long batchCorrect;
                long maskSeed = seeds.nextLong();
                try (var active = workspace.activate()) {
                    b = batchIterator.next();
                    optimizer.zeroGrad();
                    Tensor backprop; // what this machine differentiates: the objective, or only the penalty
                    if (gradients == null) {
                        model.reseed(maskSeed);
                        Tensor output = model.forward(b.inputs());
                        Tensor batchLoss = loss.apply(output, b.targets());
                        backprop = penalty == null ? batchLoss : batchLoss.add(penalty.apply(model));
                        value = batchLoss.item();
                        objective = backprop.item();
                        batchCorrect = task == Task.CLASSIFICATION ? countCorrect(output, b.targets()) : 0;
                    } else {
                        BatchGradients.Step step = gradients.gradient(b.rows(), maskSeed);
                        backprop = penalty == null ? null : penalty.apply(model);
                        value = step.loss();
                        objective = backprop == null ? value : value + backprop.item();
                        batchCorrect = step.correct();
                    }
                    if (!Double.isFinite(objective)) {
                        throw new TrainingDivergedException(epoch, batch + 1, optimizer.stepCount() + 1, value);
                    }
                    if (backprop != null) {
                        backprop.backward();
                    }
                }
                int n = b.inputs().dim(0);
                optimizer.step(new UpdateContext(optimizer.stepCount(), objective, new BatchObjective(b, maskSeed)));
                lossSum += value * n;
                seen += n;
                if (task == Task.CLASSIFICATION) {
                    correct += batchCorrect;
                    labeled += b.targets().size();
                }
                batch++;
                for (Callback c : callbacks) {
                    c.onBatchEnd(this, epoch, batch, batches, value);
                }
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Evaluation v = validation == null ? null : evaluate(validation);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, optimizer.stepCount(), lossSum / Math.max(1, seen),
                    task == Task.CLASSIFICATION ? (double) correct / Math.max(1, labeled) : Double.NaN,
                    v == null ? Double.NaN : v.loss(), v == null ? Double.NaN : v.accuracy(),
                    v == null || !perCharacter ? Double.NaN : Loss.bitsPerCharacter(v.loss()), seconds, seen / Math.max(1e-9, trainSeconds));
            history.add(stats);
            for (Callback c : callbacks) {
                c.onEpochEnd(this, stats);
            }
        }
        callbacks.forEach(c -> c.onTrainEnd(this));
        return history();
    }

    private boolean stepsDone() {
        return maxSteps > 0 && optimizer.stepCount() >= maxSteps;
    }

    /**
     * The training objective on one batch as a function of the parameters, with the batch's
     * dropout masks: what line searches (L-BFGS) and Polyak steps evaluate at trial points.
     * Each evaluation puts the trial values into the model and restores the current ones.
     */
    private final class BatchObjective implements ObjectiveFunction {
        private final DataLoader.Batch batch;
        private final long maskSeed;

        BatchObjective(DataLoader.Batch batch, long maskSeed) {
            this.batch = batch;
            this.maskSeed = maskSeed;
        }

        private Tensor objectiveAt(Params at) {
            model.reseed(maskSeed);
            Tensor l = loss.apply(model.forward(batch.inputs()), batch.targets());
            return penalty == null ? l : l.add(penalty.apply(model));
        }

        @Override
        public double applyAsDouble(Params at) {
            return withParameters(at, () -> {
                try (var scope = Autograd.noGrad()) {
                    return objectiveAt(at).item();
                }
            });
        }

        @Override
        public Params gradient(Params at) {
            List<Tensor> params = model.parameters();
            List<Tensor> savedGrads = params.stream().map(p -> p.grad() == null ? null : p.grad().copy()).toList();
            try {
                return withParameters(at, () -> {
                    model.zeroGrad();
                    objectiveAt(at).backward();
                    return Params.of(model.namedParameters()).map(p -> p.grad() == null
                            ? Tensor.zeros(p.dtype(), p.shape()) : p.grad().copy());
                });
            } finally {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).setGrad(savedGrads.get(i));
                }
            }
        }

        private <T> T withParameters(Params at, java.util.function.Supplier<T> body) {
            List<Tensor> params = model.parameters();
            List<Tensor> saved = params.stream().map(Tensor::copy).toList();
            try {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).copyFromInPlace(at.get(i));
                }
                return body.get();
            } finally {
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).copyFromInPlace(saved.get(i));
                }
            }
        }
    }

    /** Loss and accuracy of the model on {@code data}, in evaluation mode, without recording. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(model, loss, this.task, data);
    }

    /**
     * Loss and accuracy of {@code model} on {@code data}, in evaluation mode, without recording,
     * in chunks of at most {@value #EVALUATION_BATCH} examples and {@value #EVALUATION_TARGETS} targets.
     */
    public static Evaluation evaluate(Module model, Loss loss, Task task, Dataset data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0, labeled = 0;
        int n = data.size();
        int targetsPerExample = Math.max(1, data.targets().size() / Math.max(1, n));
        int chunk = Math.max(1, Math.min(EVALUATION_BATCH, EVALUATION_TARGETS / targetsPerExample));
        try (var scope = Autograd.noGrad()) {
            for (int from = 0; from < n; from += chunk) {
                Dataset part = data.slice(from, Math.min(n, from + chunk));
                Tensor output = model.forward(part.inputs());
                lossSum += loss.apply(output, part.targets()).item() * part.size();
                if (task == Task.CLASSIFICATION) {
                    correct += countCorrect(output, part.targets());
                    labeled += part.targets().size();
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / Math.max(1, n),
                task == Task.CLASSIFICATION ? (double) correct / Math.max(1, labeled) : Double.NaN, n);
    }

    /**
     * Number of rows whose predicted class equals the class-index target: the arg-max output,
     * or for a single output (a binary head of one logit) 1 when the logit is positive, else 0.
     */
    public static long countCorrect(Tensor logits, Tensor labels) {
        int[] predicted = logits.dim(-1) == 1 ? logits.gt(0).toIntArray() : logits.argmax(-1).toIntArray();
        int[] truth = labels.toIntArray();
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == truth[i]) {
                correct++;
            }
        }
        return correct;
    }
}
