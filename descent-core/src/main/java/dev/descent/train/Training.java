package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Augmentation;
import dev.descent.data.Dataset;
import dev.descent.data.Normalizer;
import dev.descent.data.Task;
import dev.descent.io.Checkpoint;
import dev.descent.loss.Loss;
import dev.descent.loss.Regularization;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.OutputInit;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.optim.Schedule;
import dev.descent.optim.Transforms;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One fit of a {@link Model} under {@link TrainingSettings}: the optimizer (named, with its
 * training learning rate and schedule, gradient clipping chained before it), the L1/L2 penalty,
 * early stopping, divergence checks and the settings' callbacks, around the fixed loop of
 * {@link Trainer}. A fit starts fresh or continues a checkpoint ({@link Start}) exactly where
 * it stopped: weights, optimizer state and step, early-stopping state, and the epoch (batch
 * order and dropout masks depend only on the seed and the epoch).
 *
 * <p>Divergence is a failure: a loss that is not finite, or an epoch whose mean training loss is
 * more than {@value Diagnosis#EXPLOSION_FACTOR} times the first step's (or than 10 when that was below 1), ends the fit with a
 * {@link TrainingDivergedException} before that epoch's callbacks run, so no checkpoint of a
 * diverged model is written.
 */
public final class Training {
    /**
     * Where a fit starts.
     *
     * @param epoch      epochs already done (0 for a fresh start)
     * @param checkpoint the checkpoint to continue, or null for a fresh start
     * @param stopping   the early-stopping state saved with it, or null
     * @param firstLoss  the loss of the run's first step, or NaN when not known yet
     */
    public record Start(int epoch, Checkpoint checkpoint, EarlyStopping.State stopping, double firstLoss) {
        /** A fresh start. */
        public static Start fresh() {
            return new Start(0, null, null, Double.NaN);
        }
    }

    private final Model model;
    private final TrainingSettings settings;
    private final Start start;
    private final EarlyStopping stopping;
    private final DivergenceGuard guard;

    /** A fit of {@code model} (built) with {@code settings} from {@code start}. */
    public Training(Model model, TrainingSettings settings, Start start) {
        this.model = model;
        this.settings = settings;
        this.start = start;
        this.guard = new DivergenceGuard(start.firstLoss());
        int patience = settings.integer(Setting.PATIENCE);
        this.stopping = patience > 0 ? new EarlyStopping(patience, settings.number(Setting.MIN_DELTA), true) : null;
    }

    /**
     * Sets the starting weights the settings ask for on a freshly built model: every weight at
     * {@link Setting#INIT_CONSTANT} (biases 0), and with {@link Setting#OUTPUT_INIT} the lecture's
     * output-layer rule ({@link OutputInit}) fitted on the (encoded) training targets.
     */
    public static void initialize(Model model, TrainingSettings settings, Dataset train) {
        Object constant = settings.get(Setting.INIT_CONSTANT);
        if (constant != null) {
            double c = (Double) constant;
            model.network().namedParameters().forEach((name, p) -> p.fillInPlace(name.endsWith("weight") ? c : 0));
        }
        if (settings.flag(Setting.OUTPUT_INIT)) {
            OutputInit rule = model.task() == Task.REGRESSION ? OutputInit.REGRESSION
                    : model.outputWidth() == 1 ? OutputInit.SIGMOID : OutputInit.SOFTMAX;
            List<Module> layers = new ArrayList<>(model.network().children().values());
            for (int i = layers.size() - 1; i >= 0; i--) {
                if (layers.get(i) instanceof Linear last) {
                    rule.apply(last, train.targets());
                    break;
                }
            }
        }
    }

    /**
     * The optimizer the settings name, its learning rate (given, or the optimizer's training
     * default) shaped by the schedule over {@code totalSteps}, preceded by clipping by global
     * norm when {@link Setting#CLIP_NORM} is set; or the optimizer object given.
     */
    public static GradientTransformation optimizer(TrainingSettings settings, long totalSteps) {
        GradientTransformation tx = settings.optimizerObject();
        if (tx == null) {
            String name = settings.text(Setting.OPTIMIZER);
            Map<String, Double> values = OptimizerRegistry.trainingSettings(name, settings.hyperparameterValues());
            Schedule shape = settings.text(Setting.SCHEDULE).equals("cosine")
                    ? Schedule.cosineDecay(1, Math.max(1, totalSteps), 0, 1) : Schedule.constant(1);
            tx = OptimizerRegistry.create(name, values, shape);
        }
        double clip = settings.number(Setting.CLIP_NORM);
        return clip > 0 ? Transforms.chain(Transforms.clipByGlobalNorm(clip), tx) : tx;
    }

    /**
     * Trains on {@code train}, validating on {@code validation} (may be null) after each epoch;
     * both already encoded ({@link Model#normalize}).
     *
     * @throws TrainingDivergedException when the run diverges
     */
    public TrainingResult run(Dataset train, Dataset validation) {
        Object threads = settings.get(Setting.THREADS);
        if (threads != null) {
            Parallel.setThreads((Integer) threads);
        }
        int batchSize = settings.batchSize();
        long stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
        long maxSteps = (long) settings.get(Setting.MAX_STEPS);
        long totalSteps = maxSteps > 0 ? maxSteps : settings.epochs() * stepsPerEpoch;
        Optimizer opt = new Optimizer(optimizer(settings, totalSteps), model.network());
        if (start.checkpoint() != null) {
            Checkpoint c = start.checkpoint();
            c.applyLatestTo(model.network());
            opt.setState(c.optimizerState(opt.state()));
            opt.setStepCount(((Number) section(c.config(), "training").get("step")).longValue());
            if (stopping != null && start.stopping() != null) {
                stopping.restore(start.stopping(), c.weights());
            }
        }
        Trainer trainer = new Trainer(model.network(), settings.loss() != null ? settings.loss() : model.loss(), opt)
                .epochs(settings.epochs()).batchSize(batchSize).seed(settings.seed()).task(model.task())
                .startEpoch(start.epoch()).maxSteps(maxSteps).penalty(penalty(settings))
                .perCharacter(model.vocabulary() != null);
        String augment = settings.text(Setting.AUGMENT);
        if (!augment.isBlank()) {
            Normalizer n = model.normalizer();
            Augmentation augmentation = Augmentation.parse(augment);
            trainer.augmentTrainingInputs(n == null ? augmentation : augmentation.forStandardizedInputs(n.mean()[0], n.std()[0]));
        }
        trainer.addCallback(guard);
        if (stopping != null) {
            trainer.addCallback(stopping);
        }
        settings.callbacks().forEach(trainer::addCallback);
        if (settings.localSteps() > 1) {
            trainer.localSteps(localSteps(totalSteps));
        }
        if (settings.batchGradients() == null) {
            return new TrainingResult(trainer.fit(train, validation), stopping == null ? 0 : stopping.bestEpoch(), trainer);
        }
        if (settings.loss() != null) {
            throw new DescentException("a loss object stays on this machine, but on a cluster the workers compute the"
                    + " loss: leave the loss to the model (softmax cross-entropy, binary cross-entropy or mean squared error)");
        }
        if (!augment.isBlank()) {
            throw new DescentException("--augment changes the images where the batch is drawn, but on a cluster the"
                    + " workers draw it from their share of the data; leave --augment out to train on a cluster");
        }
        try (BatchGradients.Session session = settings.batchGradients().start(model, train)) {
            trainer.batchGradients(session);
            return new TrainingResult(trainer.fit(train, validation), stopping == null ? 0 : stopping.bestEpoch(), trainer);
        }
    }

    /** The plan of local SGD rounds ({@link LocalSteps}), refused where it cannot run. */
    private LocalSteps localSteps(long totalSteps) {
        int k = settings.localSteps();
        if (settings.batchGradients() == null) {
            throw new DescentException("--local-steps " + k + " averages the models the shares of a cluster train, but"
                    + " this run has no cluster: add --spark MASTER, or leave --local-steps out");
        }
        if (settings.optimizerObject() != null) {
            throw new DescentException("local steps rebuild the optimizer on the workers from its name, which an optimizer"
                    + " object has not: name one of the catalogue, or train with one local step");
        }
        return new LocalSteps(k, settings, totalSteps);
    }

    /** The L1/L2 penalty of the settings, or null for none. */
    static java.util.function.Function<Module, Tensor> penalty(TrainingSettings settings) {
        double l1 = settings.number(Setting.L1), l2 = settings.number(Setting.L2);
        return l1 == 0 && l2 == 0 ? null : new Regularization(l1, l2)::penalty;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> config, String key) {
        if (config.get(key) instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new DescentException("the checkpoint's config.json has no \"" + key
                + "\" section; it cannot be resumed, train anew");
    }

    /** The early stopping of this fit, or null when {@link Setting#PATIENCE} is 0. */
    public EarlyStopping earlyStopping() {
        return stopping;
    }

    /** The loss of the run's first step (NaN before it), saved to judge divergence after a resume. */
    public double firstLoss() {
        return guard.firstLoss;
    }

    /** The epoch-level divergence check of the class comment. */
    private static final class DivergenceGuard implements Callback {
        private double firstLoss;

        DivergenceGuard(double firstLoss) {
            this.firstLoss = firstLoss;
        }

        @Override
        public void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
            if (Double.isNaN(firstLoss)) {
                firstLoss = loss;
            }
        }

        @Override
        public void onEpochEnd(Trainer trainer, EpochStats stats) {
            boolean exploded = stats.trainLoss() > Diagnosis.EXPLOSION_FACTOR * Math.max(firstLoss, 1);
            if (!Double.isFinite(stats.trainLoss()) || exploded
                    || (!Double.isNaN(stats.validationLoss()) && !Double.isFinite(stats.validationLoss()))) {
                double loss = Double.isFinite(stats.trainLoss()) ? stats.trainLoss() : stats.validationLoss();
                throw new TrainingDivergedException(stats.epoch(), stats.step(), loss, firstLoss);
            }
        }
    }
}
