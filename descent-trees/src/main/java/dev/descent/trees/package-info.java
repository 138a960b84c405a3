/**
 * Decision trees and gradient-boosted trees for tables, trained by XGBoost (through XGBoost4J)
 * on the inputs a {@link dev.descent.data.table.Preprocessor} produced: boosting fits
 * {@code F(x) = b + η·Σ_m f_m(x)}, each tree on the gradient and Hessian of the loss. The algorithm
 * choice {@code descent compare} sets against the network.
 */
package dev.descent.trees;
