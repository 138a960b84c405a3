package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The table algorithms: the built-in network ({@value #NETWORK}) and those of {@link Learner.Provider}s on the class path. */
public final class Learners {
    /** The built-in algorithm: a multilayer perceptron (or any model specification). */
    public static final String NETWORK = "mlp";

    /** The settings a tree algorithm reads (the others are the network's). */
    static final Set<Setting> TREE_SETTINGS = EnumSet.of(Setting.DATASET, Setting.LIMIT, Setting.VALIDATION, Setting.SEED,
            Setting.THREADS, Setting.TARGET, Setting.CATEGORICAL, Setting.IGNORE, Setting.FEATURES, Setting.MISSING, Setting.TASK,
            Setting.ALGORITHM, Setting.TEST_SIZE, Setting.NO_HEADER, Setting.DELIMITER);

    private Learners() {
    }

    /** Whether a tree algorithm reads {@code setting} (else only the network does). */
    public static boolean appliesToTrees(Setting setting) {
        return TREE_SETTINGS.contains(setting);
    }

    private static List<Learner.Provider> providers() {
        List<Learner.Provider> out = new ArrayList<>();
        ServiceLoader.load(Learner.Provider.class).forEach(out::add);
        return out;
    }

    /** Every algorithm name: mlp, then the providers' (tree, gbdt with descent-trees). */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(NETWORK));
        providers().forEach(p -> names.addAll(p.names()));
        return names;
    }

    /** The learner {@code name} for {@code settings}. */
    public static Learner create(String name, TrainingSettings settings) {
        if (name.equals(NETWORK)) {
            return new NetworkLearner(settings);
        }
        return provider(name).create(name, settings);
    }

    /** The model of algorithm {@code name} saved in {@code dir}. */
    public static Learner.Fitted load(String name, Path dir, Preprocessor preprocessor) {
        if (name.equals(NETWORK)) {
            return NetworkLearner.load(Model.load(dir));
        }
        return provider(name).load(name, dir, preprocessor);
    }

    /** Writes a tree model (any provider's) into {@code dir}; networks are saved with their checkpoints by {@link TrainingRun}. */
    static void save(String name, Learner.Fitted fitted, Path dir, java.util.Map<String, Object> config) {
        provider(name).save(fitted, dir, config);
    }

    private static Learner.Provider provider(String name) {
        for (Learner.Provider p : providers()) {
            if (p.names().contains(name)) {
                return p;
            }
        }
        throw new DescentException("unknown algorithm '" + name + "'; choose one of: " + String.join(", ", names())
                + (names().size() == 1 ? " (tree and gbdt need the descent-trees module on the class path)" : ""));
    }
}
