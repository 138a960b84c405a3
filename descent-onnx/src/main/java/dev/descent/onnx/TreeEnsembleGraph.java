package dev.descent.onnx;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * XGBoost trees (the JSON model format of XGBoost 2) as one {@code ai.onnx.ml}
 * {@code TreeEnsembleRegressor} node that writes the margins {@code [N, targets]}: for target k,
 * {@code b_k + Σ_t leaf_t(x)} over the trees of that target, each tree walked from its root by
 * {@code x[feature] < threshold ? left : right} (a missing value goes where XGBoost's
 * {@code default_left} says). The base margin {@code b} is XGBoost's {@code base_score}, through
 * the inverse sigmoid for {@code binary:logistic}; the targets are one margin for
 * {@code binary:logistic} and {@code reg:squarederror}, one per class for {@code multi:softprob}
 * (trees assigned to classes by {@code tree_info}, or multi-output trees whose leaves hold a
 * vector of class margins). The exporter's head then applies the sigmoid or softmax, as XGBoost's
 * objective does.
 */
final class TreeEnsembleGraph {
    private final List<Long> treeIds = new ArrayList<>(), nodeIds = new ArrayList<>(), features = new ArrayList<>(),
            trueIds = new ArrayList<>(), falseIds = new ArrayList<>(), missingTrue = new ArrayList<>();
    private final List<Float> thresholds = new ArrayList<>();
    private final List<String> modes = new ArrayList<>();
    private final List<Long> leafTrees = new ArrayList<>(), leafNodes = new ArrayList<>(), leafTargets = new ArrayList<>();
    private final List<Float> leafWeights = new ArrayList<>();

    private TreeEnsembleGraph() {
    }

    /**
     * Adds the ensemble of {@code xgboostJson} reading the encoded inputs {@code x [N, features]};
     * a model that is not one fails as a {@link DescentException}.
     */
    static Scores add(OnnxGraph g, String xgboostJson, String x) {
        try {
            return read(g, xgboostJson, x);
        } catch (Json.SyntaxError e) {
            throw new DescentException("the saved trees are not valid JSON (at " + e.where() + "); re-train the model", e);
        } catch (DescentException e) {
            throw e;
        } catch (RuntimeException e) { // a missing key, a value of the wrong kind
            throw new DescentException("the saved trees are not an XGBoost model this export can read (" + e
                    + "); re-train the model", e);
        }
    }

    private static Scores read(OnnxGraph g, String xgboostJson, String x) {
        // XGBoost writes NaN (not JSON) where a multi-output tree's leaf has no threshold
        Map<String, Object> learner = map(map(Json.parse(xgboostJson.replaceAll("([\\[,]\\s*)NaN(?=\\s*[,\\]])", "$1null")))
                .get("learner"));
        Map<String, Object> parameters = map(learner.get("learner_model_param"));
        String objective = (String) map(learner.get("objective")).get("name");
        Map<String, Object> booster = map(learner.get("gradient_booster"));
        if (!"gbtree".equals(booster.get("name"))) {
            throw new DescentException("the XGBoost model uses the booster '" + booster.get("name") + "'; ONNX export"
                    + " covers gbtree models only");
        }
        int classes = Integer.parseInt((String) parameters.get("num_class"));
        double base = Double.parseDouble((String) parameters.get("base_score"));
        double baseMargin = switch (objective) {
            case "binary:logistic" -> Math.log(base / (1 - base));
            case "reg:squarederror", "multi:softprob" -> base;
            default -> throw new DescentException("the XGBoost objective '" + objective + "' has no ONNX translation; ONNX"
                    + " export covers binary:logistic, multi:softprob and reg:squarederror");
        };
        Map<String, Object> model = map(booster.get("model"));
        List<?> trees = (List<?>) model.get("trees"), classOfTree = (List<?>) model.get("tree_info");
        TreeEnsembleGraph ensemble = new TreeEnsembleGraph();
        for (int t = 0; t < trees.size(); t++) {
            ensemble.tree(t, map(trees.get(t)), (int) Json.toDouble(classOfTree.get(t)));
        }
        int targets = Math.max(1, classes);
        float[] baseValues = new float[targets];
        Arrays.fill(baseValues, (float) baseMargin);
        String margins = g.ml("TreeEnsembleRegressor", x).attr("n_targets", targets).floats("base_values", baseValues)
                .attr("aggregate_function", "SUM").attr("post_transform", "NONE")
                .ints("nodes_treeids", ensemble.treeIds).ints("nodes_nodeids", ensemble.nodeIds)
                .ints("nodes_featureids", ensemble.features).floats("nodes_values", ensemble.thresholds)
                .strings("nodes_modes", ensemble.modes).ints("nodes_truenodeids", ensemble.trueIds)
                .ints("nodes_falsenodeids", ensemble.falseIds).ints("nodes_missing_value_tracks_true", ensemble.missingTrue)
                .ints("target_treeids", ensemble.leafTrees).ints("target_nodeids", ensemble.leafNodes)
                .ints("target_ids", ensemble.leafTargets).floats("target_weights", ensemble.leafWeights)
                .out("margins");
        return new Scores(margins, Shape.of(targets));
    }

    /** The nodes of tree {@code t}, whose single-value leaves add to target {@code target}. */
    private void tree(int t, Map<String, Object> tree, int target) {
        List<?> left = (List<?>) tree.get("left_children"), right = (List<?>) tree.get("right_children"),
                feature = (List<?>) tree.get("split_indices"), condition = (List<?>) tree.get("split_conditions"),
                defaultLeft = (List<?>) tree.get("default_left"), splitType = (List<?>) tree.get("split_type"),
                weights = (List<?>) tree.get("base_weights");
        int leafSize = Integer.parseInt((String) map(tree.get("tree_param")).get("size_leaf_vector"));
        for (int i = 0; i < left.size(); i++) {
            boolean leaf = Json.toDouble(left.get(i)) < 0;
            if (!leaf && Json.toDouble(splitType.get(i)) != 0) {
                throw new DescentException("tree " + t + " has a categorical split; ONNX export covers numerical splits only");
            }
            treeIds.add((long) t);
            nodeIds.add((long) i);
            modes.add(leaf ? "LEAF" : "BRANCH_LT");
            features.add(leaf ? 0 : (long) Json.toDouble(feature.get(i)));
            thresholds.add(leaf ? 0 : (float) Json.toDouble(condition.get(i)));
            trueIds.add(leaf ? 0 : (long) Json.toDouble(left.get(i)));
            falseIds.add(leaf ? 0 : (long) Json.toDouble(right.get(i)));
            missingTrue.add(leaf ? 0 : (long) Json.toDouble(defaultLeft.get(i)));
            if (!leaf) {
                continue;
            }
            for (int k = 0; k < leafSize; k++) { // a single value sits in split_conditions, a vector in base_weights
                leafTrees.add((long) t);
                leafNodes.add((long) i);
                leafTargets.add(leafSize == 1 ? (long) target : k);
                leafWeights.add((float) Json.toDouble(leafSize == 1 ? condition.get(i) : weights.get(i * leafSize + k)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }
}
