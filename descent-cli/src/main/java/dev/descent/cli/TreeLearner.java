package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.io.Checkpoint;
import dev.descent.tensor.Tensor;
import dev.descent.trees.BoostedTrees;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tree algorithms of {@code descent-trees}: one decision tree ({@code tree}) or boosted trees ({@code gbdt}). */
final class TreeLearner implements TabularLearner {
    /** The file holding the trees in a checkpoint folder (XGBoost's JSON model format). */
    static final String TREES_FILE = "trees.json";

    private final String name;
    private final BoostedTrees.Settings settings;

    private TreeLearner(String name, BoostedTrees.Settings settings) {
        this.name = name;
        this.settings = settings;
    }

    static TreeLearner singleTree(long seed, int threads) {
        return new TreeLearner("tree", BoostedTrees.Settings.singleTree(seed, threads));
    }

    static TreeLearner boosted(long seed, int threads) {
        return new TreeLearner("gbdt", BoostedTrees.Settings.boosted(seed, threads));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Fitted fit(Preprocessor preprocessor, Encoded train, Encoded validation, PrintStream log) {
        int columns = preprocessor.width();
        BoostedTrees trees = BoostedTrees.fit(train.inputs().toFloatArray(), columns, train.targets(),
                validation == null ? null : validation.inputs().toFloatArray(), validation == null ? null : validation.targets(),
                preprocessor.task(), preprocessor.target().classCount(), settings);
        return new FittedTrees(name, trees, columns);
    }

    /** Reloads the trees of a checkpoint folder. */
    static Fitted load(String name, Path dir, Preprocessor preprocessor) {
        String json = readText(dir.resolve(TREES_FILE));
        return new FittedTrees(name, BoostedTrees.fromJson(json, preprocessor.task(), preprocessor.target().classCount()),
                preprocessor.width());
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); re-train the model", e);
        }
    }

    private record FittedTrees(String name, BoostedTrees trees, int columns) implements Fitted {
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

        @Override
        public void save(Path dir, Map<String, Object> config) {
            Checkpoint.of(Map.of(), config, null).save(dir, Map.of(TREES_FILE, trees.toJson()));
        }
    }
}
