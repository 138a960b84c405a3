/**
 * Descent on Apache Spark. Synchronous data-parallel training: the driver holds the model and
 * the optimizer; the training set lies on the executors in shares (a cached RDD); each step the
 * weights {@code w} are broadcast, each share computes the gradient sum of its rows of the batch
 * {@code B}, {@code treeAggregate} adds them, and the driver steps with
 * {@code g = (1/|B|) Σ_k Σ_{i ∈ B ∩ share_k} ∇ℓ_i(w)}, the gradient one machine computes.
 * Tuning trials run one per Spark task. DataFrames (Parquet, CSV) become Descent data sets with
 * their normalization statistics computed by Spark.
 */
package dev.descent.spark;
