package dev.descent.onnx;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.io.Checkpoint;
import dev.descent.train.TrainedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a checkpoint folder written by {@code descent train} as an {@link ExportableModel}: the
 * one place that knows how today's checkpoints describe a model ({@link TrainedModel#fromCheckpoint}
 * for the network, its input shape, normalizer, task and classes; for a table model the
 * {@code "table"} section read by {@link Preprocessor#fromConfig}, and the {@code "algorithm"}:
 * {@code mlp}, or {@code tree}/{@code gbdt} with the trees in {@value #TREES_FILE}).
 */
public final class CheckpointAdapter {
    /** The file of a tree model's checkpoint holding its trees, in XGBoost's JSON format. */
    private static final String TREES_FILE = "trees.json";

    private CheckpointAdapter() {
    }

    /** The model in checkpoint folder {@code dir}; a missing folder or checkpoint is a {@link DescentException}. */
    public static ExportableModel read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DescentException("no model folder at " + dir + "; give the folder `descent train --out DIR` wrote");
        }
        Checkpoint checkpoint = Checkpoint.load(dir);
        Map<String, Object> config = checkpoint.config();
        if (!(config.get("table") instanceof Map<?, ?> table)) {
            TrainedModel model = TrainedModel.fromCheckpoint(checkpoint);
            return ExportableModel.images(model.spec().toString(), model.network(), model.inputShape(), model.normalizer(),
                    model.task(), model.classes());
        }
        @SuppressWarnings("unchecked")
        Preprocessor preprocessor = Preprocessor.fromConfig((Map<String, Object>) table);
        String algorithm = String.valueOf(config.getOrDefault("algorithm", "mlp"));
        if (algorithm.equals("mlp")) {
            TrainedModel model = TrainedModel.fromCheckpoint(checkpoint);
            return ExportableModel.table(model.spec().toString(), new ExportableModel.Network(model.network()), preprocessor);
        }
        Path trees = dir.resolve(TREES_FILE);
        try {
            return ExportableModel.table(algorithm + ": XGBoost trees", new ExportableModel.Trees(Files.readString(trees)),
                    preprocessor);
        } catch (IOException e) {
            throw new DescentException("cannot read " + trees + " (" + e.getMessage() + "); re-train the model", e);
        }
    }
}
