/**
 * Decision trees and gradient-boosted trees trained by XGBoost4J, offered to the core as the
 * {@link dev.descent.train.Learner.Provider} {@link dev.descent.trees.TreeLearners} (algorithms
 * {@code tree} and {@code gbdt}). XGBoost4J's jar cannot be a
 * module (the name Java derives from {@code xgboost4j_2.13-VERSION.jar}, {@code xgboost4j.2.13},
 * is not a valid module name), so it stays on the class path: this module reads the unnamed
 * module at run time ({@link dev.descent.trees.BoostedTrees}) instead of requiring it.
 */
module dev.descent.trees {
    requires dev.descent.core;

    exports dev.descent.trees;

    provides dev.descent.train.Learner.Provider with dev.descent.trees.TreeLearners;
}
