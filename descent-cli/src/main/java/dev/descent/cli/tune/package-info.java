/**
 * Hyperparameter search for {@code descent tune}: the search space read from JSON, the
 * strategies (grid, random, the tree-structured Parzen estimator, asynchronous Hyperband), the
 * {@link dev.descent.cli.tune.Tuner} that runs trials in parallel and logs each finished one so that a
 * search resumes after a kill, and the child JVM that runs one trial.
 */
package dev.descent.cli.tune;
