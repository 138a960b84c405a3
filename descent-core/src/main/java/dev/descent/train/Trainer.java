package dev.descent.train;

import dev.descent.data.Task;
import dev.descent.tensor.Autograd;
import dev.descent.data.DataLoader;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
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
    private LocalSteps localSteps;

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

    /**
     * Takes {@code plan.steps()} local steps per round on the cluster's shares, averaging the
     * weights and the optimizer's state between rounds ({@link LocalSteps}); null or one step:
     * synchronous steps. Needs {@link #batchGradients}.
     */
    public Trainer localSteps(LocalSteps plan) {
        this.localSteps = plan;
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
            Tally tally = new Tally(epoch, loader.batchesPerEpoch());
            Iterator<DataLoader.Batch> batchIterator = loader.epoch(epoch).iterator();
            while (batchIterator.hasNext() && !stepsDone()) {
                if (gradients != null && localSteps != null && localSteps.steps() > 1) {
                    round(batchIterator, seeds, tally);
                } else {
                    step(batchIterator, seeds.nextLong(), tally);
                }
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Evaluation v = validation == null ? null : evaluate(validation);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, optimizer.stepCount(), tally.lossSum / Math.max(1, tally.seen),
                    task == Task.CLASSIFICATION ? (double) tally.correct / Math.max(1, tally.labeled) : Double.NaN,
                    v == null ? Double.NaN : v.loss(), v == null ? Double.NaN : v.accuracy(),
                    v == null || !perCharacter ? Double.NaN : Loss.bitsPerCharacter(v.loss()), seconds,
                    tally.seen / Math.max(1e-9, trainSeconds));
            history.add(stats);
            for (Callback c : callbacks) {
                c.onEpochEnd(this, stats);
            }
        }
        callbacks.forEach(c -> c.onTrainEnd(this));
        return history();
    }

    /** One optimizer step on the next batch, its gradient computed here or by {@link #gradients}. */
    private void step(Iterator<DataLoader.Batch> batchIterator, long maskSeed, Tally tally) {
        workspace.recycle(); // the previous step's batch, activations and gradients are dead
        DataLoader.Batch b;
        Pass pass;
        try (var active = workspace.activate()) {
            b = batchIterator.next();
            optimizer.zeroGrad();
            if (gradients == null) {
                pass = pass(model, loss, penalty, task, b.inputs(), b.targets(), () -> model.reseed(maskSeed));
            } else {
                BatchGradients.Step step = gradients.gradient(b.rows(), maskSeed);
                Tensor backprop = penalty == null ? null : penalty.apply(model); // the penalty stays here
                if (backprop != null) {
                    backprop.backward();
                }
                pass = new Pass(step.loss(), backprop == null ? step.loss() : step.loss() + backprop.item(), step.correct());
            }
            tally.checkFinite(pass.objective(), pass.value(), optimizer.stepCount() + 1);
        }
        optimizer.step(new UpdateContext(optimizer.stepCount(), pass.objective(),
                new BatchObjective(model, loss, penalty, b.inputs(), b.targets(), () -> model.reseed(maskSeed))));
        tally.add(b, pass.value(), pass.correct());
    }

    /**
     * One round of local steps ({@link LocalSteps}): the next {@code K} batches (fewer at the end
     * of the epoch or of {@link #maxSteps}), the step count advanced by the steps taken.
     */
    private void round(Iterator<DataLoader.Batch> batchIterator, SplittableRandom seeds, Tally tally) {
        long left = maxSteps > 0 ? maxSteps - optimizer.stepCount() : Long.MAX_VALUE;
        List<DataLoader.Batch> batches = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        long[] maskSeeds = new long[(int) Math.min(localSteps.steps(), left)];
        while (batches.size() < maskSeeds.length && batchIterator.hasNext()) {
            DataLoader.Batch b = batchIterator.next();
            maskSeeds[batches.size()] = seeds.nextLong();
            batches.add(b);
            rows.add(b.rows());
        }
        BatchGradients.Round round = gradients.round(localSteps, rows,
                java.util.Arrays.copyOf(maskSeeds, batches.size()), optimizer);
        long first = optimizer.stepCount();
        optimizer.setStepCount(first + batches.size());
        for (int j = 0; j < batches.size(); j++) {
            tally.checkFinite(round.losses()[j], round.losses()[j], first + j + 1);
            tally.add(batches.get(j), round.losses()[j], round.correct()[j]);
        }
    }

    /** The running sums of one epoch's training batches. */
    private final class Tally {
        private final int epoch;
        private final int batches;
        private double lossSum;
        private long seen;
        private long correct;
        private long labeled;
        private int batch;

        Tally(int epoch, int batches) {
            this.epoch = epoch;
            this.batches = batches;
        }

        /** Throws when the objective stopped being finite (step {@code step}, 1-based). */
        void checkFinite(double objective, double value, long step) {
            if (!Double.isFinite(objective)) {
                throw new TrainingDivergedException(epoch, batch + 1, step, value);
            }
        }

        /** Counts batch {@code b}, whose mean loss was {@code value}, and runs the batch callbacks. */
        void add(DataLoader.Batch b, double value, long batchCorrect) {
            int n = b.inputs().dim(0);
            lossSum += value * n;
            seen += n;
            if (task == Task.CLASSIFICATION) {
                correct += batchCorrect;
                labeled += b.targets().size();
            }
            batch++;
            for (Callback c : callbacks) {
                c.onBatchEnd(Trainer.this, epoch, batch, batches, value);
            }
        }
    }

    /**
     * What one batch's pass gave.
     *
     * @param value     the batch's mean loss (without the penalty)
     * @param objective the value plus the penalty: what the optimizer minimizes
     * @param correct   the rows whose predicted class is right (0 for regression)
     */
    public record Pass(double value, double objective, long correct) {
    }

    /**
     * The forward and backward pass of one batch on this machine: {@code reseed} sets the dropout
     * masks, then {@code L = loss(model(inputs), targets) + penalty(model)} and {@code L.backward()}
     * (the gradients go into the parameters'; the caller zeroes them first). {@code penalty} may be
     * null. The one pass of the Trainer, of {@link LocalSteps}' shares and of a cluster's shares.
     */
    public static Pass pass(Module model, Loss loss, Function<Module, Tensor> penalty, Task task, Tensor inputs,
                     Tensor targets, Runnable reseed) {
        reseed.run();
        Tensor output = model.forward(inputs);
        Tensor batchLoss = loss.apply(output, targets);
        Tensor objective = penalty == null ? batchLoss : batchLoss.add(penalty.apply(model));
        objective.backward();
        long correct;
        try (var scope = Autograd.noGrad()) {
            correct = task == Task.CLASSIFICATION ? countCorrect(output, targets) : 0;
        }
        return new Pass(batchLoss.item(), objective.item(), correct);
    }

    private boolean stepsDone() {
        return maxSteps > 0 && optimizer.stepCount() >= maxSteps;
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
