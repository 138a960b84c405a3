package dev.descent.onnx;

import ai.onnxruntime.OrtException;
import dev.descent.DescentException;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written XGBoost models, one stump each, against probabilities worked out by hand. */
class TreeEnsembleGraphTest {
    /** x = 1, 2, 3, 4 (standardized: ±0.447, ±1.342), so a threshold at 0 splits {1, 2} from {3, 4}. */
    private static Preprocessor preprocessor(String... y) {
        Table t = CsvReader.parse("t.csv", "x,y\n1," + y[0] + "\n2," + y[1] + "\n3," + y[2] + "\n4," + y[3] + "\n",
                CsvReader.Format.DEFAULT);
        Preprocessor.Options options = new Preprocessor.Options("y", Set.of(), Set.of(), Preprocessor.MissingPolicy.IMPUTE, null);
        return Preprocessor.fit(t, options, Preprocessor.detectTarget(t, options));
    }

    /** An XGBoost 2 JSON model of one stump on feature 0 at 0: leaves in split_conditions, or vectors in base_weights. */
    private static String stump(String objective, String baseScore, int classes, String conditions, String weights,
                                int leafSize) {
        return """
                {"learner": {"learner_model_param": {"base_score": "%s", "num_class": "%d"},
                  "objective": {"name": "%s"},
                  "gradient_booster": {"name": "gbtree", "model": {"tree_info": [0], "trees": [{
                    "left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [0, 0, 0],
                    "split_conditions": %s, "default_left": [1, 0, 0], "split_type": [0, 0, 0],
                    "base_weights": %s, "tree_param": {"size_leaf_vector": "%d"}}]}}}}
                """.formatted(baseScore, classes, objective, conditions, weights, leafSize);
    }

    private static float[][] run(Preprocessor p, String json) throws OrtException {
        ExportableModel model = ExportableModel.table("stump", new ExportableModel.Trees(json), p);
        return OnnxRuntimeRunner.run(OnnxExporter.export(model, "test"), Map.of("x",
                OnnxRuntimeRunner.doubles(new double[] {1, 2, 3, 4}, 4, 1)));
    }

    private static float sigmoid(double z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    @Test
    void binaryStumpAddsTheLogitOfTheBaseScore() throws OrtException {
        // base_score 0.8 is a probability: the base margin is ln(0.8/0.2); leaves −1 (x < 0) and 2
        float[][] p = run(preprocessor("a", "b", "a", "b"), stump("binary:logistic", "8E-1", 0, "[0.0, -1.0, 2.0]", "[0, -1, 2]", 1));
        double base = Math.log(4);
        float low = sigmoid(base - 1), high = sigmoid(base + 2);
        assertArrayEquals(new float[] {1 - low, low}, p[0], 1e-6f);
        assertArrayEquals(new float[] {1 - low, low}, p[1], 1e-6f);
        assertArrayEquals(new float[] {1 - high, high}, p[2], 1e-6f);
        assertArrayEquals(new float[] {1 - high, high}, p[3], 1e-6f);
    }

    @Test
    void multiOutputStumpHasVectorLeavesAndNaNThresholds() throws OrtException {
        // three classes, one tree whose leaves hold the class margins; XGBoost writes NaN for a leaf's threshold
        float[][] p = run(preprocessor("a", "b", "c", "a"), stump("multi:softprob", "5E-1", 3, "[0.0, NaN, NaN]",
                "[0, 0, 0, 1, 0, -1, -2, 0, 2]", 3));
        double[] left = {1, 0, -1}, right = {-2, 0, 2}; // + 0.5 each, which the softmax cancels
        for (int i = 0; i < 4; i++) {
            double[] z = i < 2 ? left : right;
            double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
            assertArrayEquals(new float[] {(float) (Math.exp(z[0]) / sum), (float) (Math.exp(z[1]) / sum),
                    (float) (Math.exp(z[2]) / sum)}, p[i], 1e-6f);
        }
    }

    @Test
    void unknownObjectiveAndBrokenModelAreUserErrors() {
        Preprocessor p = preprocessor("a", "b", "a", "b");
        DescentException objective = assertThrows(DescentException.class,
                () -> run(p, stump("rank:pairwise", "5E-1", 0, "[0.0, -1.0, 2.0]", "[0, -1, 2]", 1)));
        assertTrue(objective.getMessage().startsWith("the XGBoost objective 'rank:pairwise' has no ONNX translation"),
                objective.getMessage());
        DescentException broken = assertThrows(DescentException.class, () -> run(p, "{\"learner\": {}}"));
        assertTrue(broken.getMessage().startsWith("the saved trees are not an XGBoost model this export can read"),
                broken.getMessage());
        DescentException text = assertThrows(DescentException.class, () -> run(p, "{\"learner\": [1, 2"));
        assertTrue(text.getMessage().startsWith("the saved trees are not valid JSON (at line 1:"), text.getMessage());
    }
}
