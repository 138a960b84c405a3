package dev.descent.cli.serve;

import dev.descent.io.Checkpoint;
import dev.descent.train.Model;
import dev.descent.train.Prediction;
import dev.descent.train.TableModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A saved model as the server uses it: each request's instances encoded into rows of
 * {@link #width()} floats (checked one request at a time, so one client's mistake never fails
 * another's batch), rows of several requests stacked and predicted in one forward pass.
 */
sealed interface ServedModel permits ArrayModel, TableRowsModel {

    /** The model saved in {@code dir}: a model trained on a table, or on images or arrays. */
    static ServedModel load(Path dir) {
        Checkpoint checkpoint = Checkpoint.load(dir);
        if (!TableModel.isTableModel(checkpoint)) {
            return new ArrayModel(Model.fromCheckpoint(checkpoint));
        }
        Map<String, Object> config = checkpoint.config();
        return new TableRowsModel(TableModel.load(dir), config.get("model") instanceof String spec ? spec
                : config.get("algorithm") + ": trees");
    }

    /** The floats of one encoded instance. */
    int width();

    /**
     * The instances of one request encoded, {@code instances.size() × width()} floats; a
     * malformed instance fails with a {@link dev.descent.DescentException} naming it (by its
     * index in the request) and saying what to give instead.
     */
    float[] encode(List<?> instances);

    /** Predictions for {@code n} encoded instances stacked in {@code rows}. */
    Prediction predict(float[] rows, int n);

    /** What {@code GET /v1/models/NAME} says of the model: its inputs, task, classes and specification. */
    Map<String, Object> metadata();
}
