package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.table.Preprocessor;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.loss.Regularization;
import dev.descent.nn.Linear;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Module;
import dev.descent.nn.init.OutputInit;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.tensor.Tensor;
import dev.descent.train.EarlyStopping;
import dev.descent.train.EpochStats;
import dev.descent.data.Task;
import dev.descent.train.TrainedModel;
import dev.descent.train.Trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A multilayer perceptron for a table. The head matches the task: {@code C} logits with
 * softmax cross-entropy for {@code C > 2} classes, one logit with binary cross-entropy for two,
 * one output with mean squared error on the standardized target for regression. The output
 * layer starts at {@code W = 0} with the bias of {@link OutputInit} (log class frequencies,
 * their inverse sigmoid, or the target mean), so training starts from the naive baseline.
 */
final class MlpLearner implements TabularLearner {
    /**
     * @param model      a whole model specification, or null for an MLP of {@code hidden} widths
     * @param hidden     hidden layer widths
     * @param activation hidden activation
     * @param dropout    dropout after each hidden layer
     * @param optimizer  optimizer name and hyperparameters
     * @param schedule   learning-rate schedule (constant, cosine)
     * @param batchSize  examples per step
     * @param epochs     epochs at most
     * @param patience   early-stopping patience (0: off)
     * @param minDelta   early-stopping smallest improvement
     * @param l1         L1 penalty
     * @param l2         L2 penalty
     * @param seed       seed of the weights, batch order and dropout
     */
    record Settings(String model, int[] hidden, String activation, double dropout, String optimizer,
                    Map<String, Double> optimizerSettings, String schedule, int batchSize, int epochs, int patience,
                    double minDelta, double l1, double l2, long seed) {
        /** The defaults for tables: one hidden layer of 256 ReLU units, Adam, up to 200 epochs, patience 10. */
        static Settings defaults(long seed) {
            return new Settings(null, TABLE_HIDDEN, "relu", 0.1, "adam", Map.of(), "constant", 32, 200, 10, 0, 0, 0, seed);
        }
    }

    static final int[] TABLE_HIDDEN = {256};

    private final Settings settings;

    MlpLearner(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "mlp";
    }

    /** The output width: classes for more than two, else 1. */
    static int outputs(Preprocessor p) {
        return p.task() == Task.CLASSIFICATION && p.target().classCount() > 2 ? p.target().classCount() : 1;
    }

    @Override
    public Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, PrintStream log) {
        Settings s = settings;
        int outputs = outputs(preprocessor);
        ModelSpec spec = s.model() != null ? ModelSpec.parse(s.model())
                : ModelSpec.mlp(s.hidden(), s.activation(), s.dropout(), outputs);
        TrainedModel trained = TrainedModel.create(spec, new int[] {preprocessor.width()}, null, preprocessor.task(),
                preprocessor.target().classCount(), s.seed());
        Dataset trainSet = dataset(train, outputs), valSet = validation == null ? null : dataset(validation, outputs);
        OutputInit rule = preprocessor.task() == Task.REGRESSION ? OutputInit.REGRESSION
                : outputs == 1 ? OutputInit.SIGMOID : OutputInit.SOFTMAX;
        lastLinear(trained.network()).ifPresent(last -> rule.apply(last, trainSet.targets()));
        Loss loss = preprocessor.task() == Task.REGRESSION ? Loss.mse()
                : outputs == 1 ? Loss.binaryCrossEntropyWithLogits() : Loss.softmaxCrossEntropy();
        long totalSteps = (long) s.epochs() * ((train.rows() + s.batchSize() - 1) / s.batchSize());
        GradientTransformation tx = OptimizerRegistry.create(s.optimizer(), s.optimizerSettings(),
                TrainCommand.learningRateShape(s.schedule(), totalSteps));
        Optimizer opt = new Optimizer(tx, trained.network());
        Regularization penalty = s.l1() == 0 && s.l2() == 0 ? null : new Regularization(s.l1(), s.l2());
        Trainer trainer = new Trainer(trained.network(), loss, opt,
                new Trainer.Config(s.epochs(), s.batchSize(), s.seed(), false, preprocessor.task(), 0),
                penalty == null ? null : penalty::penalty);
        EarlyStopping stopping = s.patience() > 0 ? new EarlyStopping(s.patience(), s.minDelta(), true) : null;
        if (stopping != null) {
            trainer.addCallback(stopping);
        }
        List<EpochStats> history = trainer.fit(trainSet, valSet);
        return new FittedMlp(trained, opt, history, stopping, s);
    }

    private static java.util.Optional<Linear> lastLinear(Module network) {
        List<Module> layers = new ArrayList<>(network.children().values());
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Linear last) {
                return java.util.Optional.of(last);
            }
        }
        return java.util.Optional.empty();
    }

    /** Targets as the loss wants them: class indices {@code [N]} for softmax, a column {@code [N, 1]} otherwise. */
    private static Dataset dataset(Encoded e, int outputs) {
        Tensor y = Tensor.wrap(e.targets().clone(), e.rows());
        return new Dataset(e.inputs(), outputs == 1 ? y.reshape(e.rows(), 1) : y);
    }

    /** A trained network loaded from a checkpoint, for predictions. */
    static Fitted load(TrainedModel model) {
        return new FittedMlp(model, null, List.of(), null, null);
    }

    private record FittedMlp(TrainedModel model, Optimizer optimizer, List<EpochStats> history, EarlyStopping stopping,
                             Settings settings) implements Fitted {
        @Override
        public double[][] predict(Tensor inputs) {
            Tensor out = model.predict(inputs);
            int rows = out.dim(0), cols = out.dim(1);
            double[] flat = out.toDoubleArray();
            double[][] p = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * cols, p[i], 0, cols);
            }
            return p;
        }

        private int lastEpoch() {
            return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        }

        private int bestEpoch() {
            return stopping == null ? lastEpoch() : stopping.bestEpoch();
        }

        @Override
        public String summary() {
            EpochStats best = history.stream().filter(e -> e.epoch() == bestEpoch()).findFirst().orElse(null);
            return String.format(Locale.ROOT, "mlp %s: %d epochs, kept epoch %d%s", model.spec(), lastEpoch(), bestEpoch(),
                    best == null || Double.isNaN(best.validationLoss()) ? ""
                            : String.format(Locale.ROOT, " (val_loss %.4f)", best.validationLoss()));
        }

        @Override
        public Map<String, Object> facts() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", lastEpoch());
            m.put("best_epoch", bestEpoch());
            m.put("parameters", model.network().parameterCount());
            return m;
        }

        @Override
        public void save(Path dir, Map<String, Object> config) {
            Map<String, Object> all = new LinkedHashMap<>(model.config());
            Map<String, Object> optimizerConfig = new LinkedHashMap<>();
            optimizerConfig.put("name", settings.optimizer());
            optimizerConfig.put("hyperparameters", new LinkedHashMap<>(settings.optimizerSettings()));
            optimizerConfig.put("schedule", settings.schedule());
            all.put("optimizer", optimizerConfig);
            all.putAll(config);
            String jsonl = history.stream().map(e -> Json.write(e.toMap()) + "\n").reduce("", String::concat);
            Checkpoint.of(model.network().namedParameters(), all, optimizer.state())
                    .save(dir, Map.of(TrainCommand.HISTORY_FILE, jsonl));
        }
    }
}
