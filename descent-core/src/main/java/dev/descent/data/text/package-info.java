/**
 * Text for character-level language models: the {@link dev.descent.data.text.Vocabulary} of the
 * characters of the training part (stored in the checkpoint), the
 * {@link dev.descent.data.text.TextCorpus} cut into a contiguous 90/10 split of non-overlapping
 * windows for truncated backpropagation through time, and the
 * {@link dev.descent.data.text.TextGenerator} that samples characters from a trained model at a
 * temperature, deterministic for a seed.
 */
package dev.descent.data.text;
