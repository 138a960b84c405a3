package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.data.Task;
import dev.descent.data.table.Preprocessor;
import dev.descent.nn.ModelSpec;
import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The network for a table ({@code --algorithm mlp}): a multilayer perceptron of the settings'
 * widths, or the settings' model specification, on the encoded inputs. Its head matches the
 * task: {@code C} logits for {@code C > 2} classes, one logit for two, one value (the
 * standardized target) for regression; with {@link Setting#OUTPUT_INIT} (on by default for
 * tables) training starts from the naive baseline.
 */
final class NetworkLearner implements Learner {
    private final TrainingSettings settings;

    NetworkLearner(TrainingSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return Learners.NETWORK;
    }

    /** A new network for the encoded table, as the settings describe it. */
    static Model model(TrainingSettings settings, Preprocessor pre) {
        int classes = pre.task() == Task.CLASSIFICATION ? pre.target().classCount() : 0;
        int outputs = classes > 2 ? classes : 1;
        ModelSpec spec = TrainingRun.spec(settings, outputs);
        return Model.build(spec, pre.task(), new int[] {pre.width()}, classes > 0 ? pre.target().classes() : List.of(),
                null, pre, settings.seed());
    }

    /** Encoded rows as the loss wants them: class indices {@code [N]} for softmax, a column {@code [N, 1]} otherwise. */
    static Dataset dataset(Encoded e, Model model) {
        Tensor y = Tensor.wrap(e.targets().clone(), e.rows());
        return model.encode(new Dataset(e.inputs(), model.task() == Task.REGRESSION ? y.reshape(e.rows(), 1) : y));
    }

    @Override
    public Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, Consumer<String> log) {
        Model model = model(settings, preprocessor);
        TrainingRun.checkOutputs(model);
        Dataset trainSet = dataset(train, model);
        Training.initialize(model, settings, trainSet);
        TrainingResult result = new Training(model, settings, Training.Start.fresh())
                .run(trainSet, validation == null ? null : dataset(validation, model));
        return new FittedNetwork(model, result);
    }

    /** A trained network loaded from a checkpoint, for predictions. */
    static Fitted load(Model model) {
        return new FittedNetwork(model, null);
    }

    /** A network and how its fit went (null when loaded). */
    record FittedNetwork(Model model, TrainingResult result) implements Fitted {
        @Override
        public double[][] predict(Tensor inputs) {
            Tensor out = model.headOutputs(inputs);
            int rows = out.dim(0), cols = out.dim(1);
            double[] flat = out.toDoubleArray();
            double[][] p = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * cols, p[i], 0, cols);
            }
            return p;
        }

        @Override
        public String summary() {
            EpochStats kept = result.kept();
            return String.format(Locale.ROOT, "mlp %s: %d epochs, kept epoch %d%s", model.spec(), result.lastEpoch(),
                    result.keptEpoch(), kept == null || Double.isNaN(kept.validationLoss()) ? ""
                            : String.format(Locale.ROOT, " (val_loss %.4f)", kept.validationLoss()));
        }

        @Override
        public Map<String, Object> facts() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", result.lastEpoch());
            m.put("best_epoch", result.keptEpoch());
            m.put("parameters", model.network().parameterCount());
            return m;
        }
    }
}
