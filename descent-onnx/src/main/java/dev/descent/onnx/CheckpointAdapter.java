package dev.descent.onnx;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.text.Vocabulary;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Checkpoint;
import dev.descent.nn.Embedding;
import dev.descent.train.Learners;
import dev.descent.train.Model;
import dev.descent.train.TableModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads a run folder written by {@code descent train} (or {@link Model#save}) as an
 * {@link ExportableModel}: the one place that knows how checkpoints describe a model
 * ({@link Model#fromCheckpoint} for a network, its input shape, normalizer or table
 * preprocessing, task and class names; inputs of shape {@code [C, H, W]} are images of pixel
 * values, as {@code descent predict} reads them; a network that starts with an {@link Embedding} reads
 * token ids, its characters those of the {@value #VOCABULARY} config entry when there is one; for a table model trained by another algorithm the
 * {@code "algorithm"} and {@code "table"} config entries and the trees in {@value #TREES_FILE}).
 */
public final class CheckpointAdapter {
    /** The file of a tree model's run folder holding its trees, in XGBoost's JSON format. */
    private static final String TREES_FILE = "trees.json";
    /** The config entry of a character model's vocabulary ({@link Vocabulary#toConfig()}). */
    private static final String VOCABULARY = "vocabulary";

    private CheckpointAdapter() {
    }

    /** The characters of {@code vocabulary} in id order. */
    private static List<String> characters(Vocabulary vocabulary) {
        return IntStream.range(0, vocabulary.size()).mapToObj(vocabulary::character).toList();
    }

    /** The model in run folder {@code dir}; a missing folder or checkpoint is a {@link DescentException}. */
    public static ExportableModel read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DescentException("no model folder at " + dir + "; give the folder `descent train --out DIR` wrote");
        }
        Checkpoint checkpoint = Checkpoint.load(dir);
        Map<String, Object> config = checkpoint.config();
        String algorithm = config.get("algorithm") instanceof String a ? a : Learners.NETWORK;
        if (!TableModel.isTableModel(checkpoint) || algorithm.equals(Learners.NETWORK)) {
            Model model = Model.fromCheckpoint(checkpoint);
            String spec = model.spec().toString();
            if (model.network().children().values().stream().findFirst().orElse(null) instanceof Embedding) {
                @SuppressWarnings("unchecked")
                List<String> characters = config.get(VOCABULARY) instanceof Map<?, ?> v
                        ? characters(Vocabulary.fromConfig((Map<String, Object>) v)) : List.of();
                return ExportableModel.tokens(spec, model.network(), model.inputShape()[0], characters,
                        characters.isEmpty() ? model.classNames() : characters);
            }
            return model.preprocessor() != null
                    ? ExportableModel.table(spec, new ExportableModel.Network(model.network()), model.preprocessor())
                    : ExportableModel.arrays(spec, model.network(), model.inputShape(), model.inputShape().length == 3,
                    model.normalizer(), model.task(), model.classNames());
        }
        @SuppressWarnings("unchecked")
        Preprocessor preprocessor = Preprocessor.fromConfig((Map<String, Object>) config.get("table"));
        Path trees = AtomicFiles.current(dir, TREES_FILE);
        try {
            return ExportableModel.table(algorithm + ": XGBoost trees", new ExportableModel.Trees(Files.readString(trees)),
                    preprocessor);
        } catch (IOException e) {
            throw new DescentException("cannot read " + trees + " (" + e.getMessage() + "); re-train the model", e);
        }
    }
}
