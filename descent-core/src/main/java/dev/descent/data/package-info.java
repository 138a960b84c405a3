/**
 * Data for supervised learning: {@link dev.descent.data.Dataset} (inputs {@code [N, ...]} and
 * targets), {@link dev.descent.data.DataLoader} (mini-batches, seeded shuffling per epoch, an optional
 * per-batch transform), train/validation splits and k folds, input standardization
 * {@code x' = (x − mean) / std} fitted on the training inputs, random image augmentation, the IDX file
 * format and MNIST (finding, downloading with checked md5 sums, loading). Tables live in
 * {@code dev.descent.data.table}.
 */
package dev.descent.data;
