package dev.descent.trees;

import dev.descent.DescentException;
import dev.descent.data.Task;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Gradient-boosted trees and a single decision tree, trained by XGBoost (through XGBoost4J) on
 * the inputs a table's preprocessor produced. Boosting fits an additive model
 * {@code F(x) = b + η·Σ_m f_m(x)}, each regression tree {@code f_m} fitted to the gradient and
 * Hessian of the loss at {@code F_{m−1}} (second-order, leaf values {@code −G/(H + λ)}); the
 * loss is the logistic loss for two classes, softmax cross-entropy for more (one tree per class
 * and round), squared error for regression. {@link Settings#singleTree(long, int)} is one tree, one
 * round with {@code η = 1} (for several classes one tree with a vector of class scores in each
 * leaf), a plain decision tree grown by the same split search.
 */
public final class BoostedTrees {
    static {
        // XGBoost4J is on the class path (see module-info.java): on the module path this module
        // must read the class path's unnamed module before it touches XGBoost's classes.
        BoostedTrees.class.getModule().addReads(BoostedTrees.class.getClassLoader().getUnnamedModule());
    }

    /**
     * @param rounds      boosting rounds at most (trees per class)
     * @param eta         learning rate η
     * @param maxDepth    depth of each tree
     * @param earlyStop   stop when the validation loss has not improved for this many rounds (0: off)
     * @param seed        XGBoost's seed
     * @param threads     XGBoost's threads
     */
    public record Settings(int rounds, double eta, int maxDepth, int earlyStop, long seed, int threads) {
        /** Boosting: up to 500 rounds of depth-6 trees, η = 0.1, stopping after 20 rounds without improvement. */
        public static Settings boosted(long seed, int threads) {
            return new Settings(500, 0.1, 6, 20, seed, threads);
        }

        /** A single decision tree of depth at most 10: one round with η = 1. */
        public static Settings singleTree(long seed, int threads) {
            return new Settings(1, 1.0, 10, 0, seed, threads);
        }
    }

    private final Booster booster;
    private final Task task;
    private final int classes;

    private BoostedTrees(Booster booster, Task task, int classes) {
        this.booster = booster;
        this.task = task;
        this.classes = classes;
    }

    /**
     * Trains on the row-major inputs {@code x [rows, columns]} and targets {@code y} (class
     * indices, or values), watching {@code validation} for early stopping when given.
     */
    public static BoostedTrees fit(float[] x, int columns, float[] y, float[] validationX, float[] validationY,
                                   Task task, int classes, Settings settings) {
        Map<String, Object> params = new HashMap<>();
        params.put("tree_method", "hist");
        params.put("eta", settings.eta());
        params.put("max_depth", settings.maxDepth());
        params.put("seed", settings.seed());
        params.put("nthread", settings.threads());
        params.put("verbosity", 0);
        params.put("silent", 1); // read by XGBoost4J's train loop, which otherwise prints a line per round to stdout
        if (task == Task.REGRESSION) {
            params.put("objective", "reg:squarederror");
        } else if (classes == 2) {
            params.put("objective", "binary:logistic");
        } else {
            params.put("objective", "multi:softprob");
            params.put("num_class", classes);
            if (settings.rounds() == 1) {
                params.put("multi_strategy", "multi_output_tree");
            }
        }
        try {
            DMatrix train = matrix(x, columns, y);
            int rounds = settings.rounds();
            if (validationX != null && settings.earlyStop() > 0) {
                rounds = bestRounds(train, matrix(validationX, columns, validationY), params, settings);
            }
            Booster booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
            return new BoostedTrees(booster, task, classes);
        } catch (XGBoostError e) {
            throw new DescentException("XGBoost failed to train (" + e.getMessage() + "); check the data", e);
        }
    }

    /**
     * Early stopping: boosts one round at a time, evaluating XGBoost's default metric (log loss,
     * RMSE) on the validation rows, until it has not improved for {@code earlyStop} rounds; the
     * number of rounds up to the best one.
     */
    private static int bestRounds(DMatrix train, DMatrix validation, Map<String, Object> params, Settings settings)
            throws XGBoostError {
        Booster booster = XGBoost.train(train, params, 0, Map.of(), null, null);
        DMatrix[] sets = {validation};
        String[] names = {"validation"};
        double best = Double.POSITIVE_INFINITY;
        int bestRound = 0;
        for (int round = 0; round < settings.rounds() && round - bestRound <= settings.earlyStop(); round++) {
            booster.update(train, round);
            String result = booster.evalSet(sets, names, round); // "[3]\tvalidation-logloss:0.4311"
            double loss = Double.parseDouble(result.substring(result.lastIndexOf(':') + 1).strip());
            if (loss < best) {
                best = loss;
                bestRound = round;
            }
        }
        booster.dispose();
        return bestRound + 1;
    }

    private static DMatrix matrix(float[] x, int columns, float[] y) throws XGBoostError {
        DMatrix m = new DMatrix(x, x.length / columns, columns, Float.NaN);
        m.setLabel(y);
        return m;
    }

    /**
     * Predictions for the row-major inputs {@code x [rows, columns]}: class probabilities
     * {@code [rows][classes]}, or values {@code [rows][1]}.
     */
    public double[][] predict(float[] x, int columns) {
        try {
            DMatrix m = new DMatrix(x, x.length / columns, columns, Float.NaN);
            float[][] raw = booster.predict(m);
            double[][] out = new double[raw.length][];
            for (int i = 0; i < raw.length; i++) {
                if (task == Task.CLASSIFICATION && classes == 2) {
                    out[i] = new double[] {1 - raw[i][0], raw[i][0]};
                } else {
                    out[i] = new double[raw[i].length];
                    for (int j = 0; j < raw[i].length; j++) {
                        out[i][j] = raw[i][j];
                    }
                }
            }
            m.dispose();
            return out;
        } catch (XGBoostError e) {
            throw new DescentException("XGBoost failed to predict (" + e.getMessage() + ")", e);
        }
    }

    /** The number of boosting rounds kept (the best round when early stopping). */
    public int rounds() {
        try {
            return booster.getNumBoostedRound();
        } catch (XGBoostError e) {
            throw new DescentException("XGBoost failed to report its rounds (" + e.getMessage() + ")", e);
        }
    }

    /** The model in XGBoost's JSON format, as XGBoost's Python and R packages read it. */
    public String toJson() {
        try {
            return new String(booster.toByteArray("json"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (XGBoostError e) {
            throw new DescentException("XGBoost failed to save the model (" + e.getMessage() + ")", e);
        }
    }

    /** Reloads a model {@link #toJson()} wrote. */
    public static BoostedTrees fromJson(String json, Task task, int classes) {
        try {
            return new BoostedTrees(XGBoost.loadModel(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), task, classes);
        } catch (XGBoostError | IOException e) {
            throw new DescentException("the saved trees cannot be read (" + e.getMessage() + "); re-train the model", e);
        }
    }
}
