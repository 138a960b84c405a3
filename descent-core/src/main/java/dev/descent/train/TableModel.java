package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.Task;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.io.Checkpoint;
import dev.descent.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A model trained on a table, as its run folder holds it: the fitted preprocessing (columns
 * found by name, categories, imputation), the learner's model (a network or trees), and the
 * settings it was trained with (how its file was read). New rows are encoded the same way; a
 * category never seen in training or a missing value is reported as a warning, never fatal.
 */
public final class TableModel {
    private final Preprocessor preprocessor;
    private final Learner.Fitted fitted;
    private final TrainingSettings settings;

    private TableModel(Preprocessor preprocessor, Learner.Fitted fitted, TrainingSettings settings) {
        this.preprocessor = preprocessor;
        this.fitted = fitted;
        this.settings = settings;
    }

    /** Whether the checkpoint in {@code dir} was trained on a table. */
    public static boolean isTableModel(Checkpoint checkpoint) {
        return checkpoint.config().get("table") instanceof Map<?, ?>;
    }

    /** The table model saved in {@code dir}. */
    public static TableModel load(Path dir) {
        Checkpoint checkpoint = Checkpoint.load(dir);
        Map<String, Object> config = checkpoint.config();
        if (!(config.get("table") instanceof Map<?, ?> table)) {
            throw new DescentException("the model in " + dir + " was not trained on a table; give it image files, or train"
                    + " one with `descent train FILE.csv --target COLUMN`");
        }
        @SuppressWarnings("unchecked")
        Preprocessor pre = Preprocessor.fromConfig((Map<String, Object>) table);
        String algorithm = config.get("algorithm") instanceof String a ? a : Learners.NETWORK;
        Learner.Fitted fitted = algorithm.equals(Learners.NETWORK)
                ? NetworkLearner.load(Model.fromCheckpoint(checkpoint)) : Learners.load(algorithm, dir, pre);
        @SuppressWarnings("unchecked")
        TrainingSettings settings = config.get("settings") instanceof Map<?, ?> s
                ? TrainingSettings.fromConfig((Map<String, Object>) s) : TrainingSettings.defaults();
        return new TableModel(pre, fitted, settings);
    }

    /**
     * Reads a table file the way the training file was read (its header and delimiter),
     * unless {@code noHeader} or {@code delimiter} say otherwise (null: as in training).
     */
    public Table read(Path file, Boolean noHeader, String delimiter) {
        TrainingSettings s = settings.with(Setting.DATASET, file.toString());
        if (noHeader != null) {
            s = s.with(Setting.NO_HEADER, noHeader);
        }
        if (delimiter != null) {
            s = s.with(Setting.DELIMITER, delimiter);
        }
        return TrainingRun.readTable(s, null);
    }

    /** Predictions for every row of {@code rows}: classes with probabilities, or values. */
    public Prediction predict(Table rows, Consumer<String> warnings) {
        return predictEncoded(encode(rows, warnings));
    }

    /**
     * The rows as the model's inputs {@code [rows, width]}: the fitted preprocessing applied
     * (numbers standardized, categories one-hot, missing values imputed); unseen categories and
     * missing values are reported to {@code warnings}, values of the wrong kind fail naming the
     * row and column. Rows are encoded independently of each other.
     */
    public Tensor encode(Table rows, Consumer<String> warnings) {
        return preprocessor.inputs(rows, warnings);
    }

    /**
     * Predictions for rows {@link #encode encoded} already (those of several tables may be
     * stacked): classes with probabilities, or values in the target's units.
     */
    public Prediction predictEncoded(Tensor inputs) {
        double[][] p = fitted.predict(inputs);
        if (preprocessor.task() == Task.REGRESSION) {
            double[] values = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                values[i] = preprocessor.target().decode(p[i][0]);
            }
            return Prediction.values(values);
        }
        float[] flat = new float[p.length * (p.length == 0 ? 0 : p[0].length)];
        int c = p.length == 0 ? 0 : p[0].length;
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < c; k++) {
                flat[i * c + k] = (float) p[i][k];
            }
        }
        return Prediction.classes(Tensor.wrap(flat, p.length, c), preprocessor.target().classes());
    }

    /** The scores on a table that holds the target column. */
    public Report evaluate(Table rows, Consumer<String> warnings) {
        return TableExperiment.report(preprocessor, fitted.predict(preprocessor.inputs(rows, warnings)), rows);
    }

    /** The task: classes or values. */
    public Task task() {
        return preprocessor.task();
    }

    /** The fitted preprocessing: the input columns and how each is encoded. */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** The class names (classification), in probability order. */
    public List<String> classNames() {
        return preprocessor.target().classes();
    }
}
