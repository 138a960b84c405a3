package dev.descent.trees;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Checkpoint;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Tensor;
import dev.descent.train.Learner;
import dev.descent.train.Setting;
import dev.descent.train.TrainingSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tree algorithms for tables, offered to the core's {@link dev.descent.train.Learners}:
 * {@code tree} (one decision tree) and {@code gbdt} (gradient-boosted trees), both XGBoost
 * ({@link BoostedTrees}). A saved tree model is the run folder's {@value #TREES_FILE} (XGBoost's
 * JSON model) beside the checkpoint's config.json.
 */
public final class TreeLearners implements Learner.Provider {
    /** The file holding the trees in a run folder (XGBoost's JSON model format). */
    public static final String TREES_FILE = "trees.json";

    @Override
    public List<String> names() {
        return List.of("tree", "gbdt");
    }

    @Override
    public Learner create(String name, TrainingSettings settings) {
        Object given = settings.get(Setting.THREADS);
        int threads = given != null ? (Integer) given : Parallel.threads();
        BoostedTrees.Settings s = name.equals("tree") ? BoostedTrees.Settings.singleTree(settings.seed(), threads)
                : BoostedTrees.Settings.boosted(settings.seed(), threads);
        return new TreeLearner(name, s);
    }

    @Override
    public void save(Learner.Fitted fitted, Path dir, Map<String, Object> config) {
        Checkpoint.of(Map.of(), config, null).save(dir, Map.of(TREES_FILE, ((FittedTrees) fitted).trees().toJson()));
    }

    @Override
    public Learner.Fitted load(String name, Path dir, Preprocessor preprocessor) {
        Path file = AtomicFiles.current(dir, TREES_FILE);
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); re-train the model", e);
        }
        return new FittedTrees(name, BoostedTrees.fromJson(json, preprocessor.task(), preprocessor.target().classCount()),
                preprocessor.width());
    }

    private record TreeLearner(String name, BoostedTrees.Settings settings) implements Learner {
        @Override
        public Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, Consumer<String> log) {
            int columns = preprocessor.width();
            BoostedTrees trees = BoostedTrees.fit(train.inputs().toFloatArray(), columns, train.targets(),
                    validation == null ? null : validation.inputs().toFloatArray(),
                    validation == null ? null : validation.targets(), preprocessor.task(),
                    preprocessor.target().classCount(), settings);
            return new FittedTrees(name, trees, columns);
        }
    }

    private record FittedTrees(String name, BoostedTrees trees, int columns) implements Learner.Fitted {
        @Override
        public double[][] predict(Tensor inputs) {
            return trees.predict(inputs.toFloatArray(), columns);
        }

        @Override
        public String summary() {
            return name + ": " + trees.rounds() + (trees.rounds() == 1 ? " round" : " rounds") + " of XGBoost trees";
        }

        @Override
        public Map<String, Object> facts() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", trees.rounds());
            return m;
        }
    }
}
