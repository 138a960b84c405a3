/**
 * JMH benchmarks: matrix products through each {@link dev.descent.tensor.MatmulBackend} at square
 * and layer shapes (FLOP/s), and one training step (forward, loss, backward, Adam update) of the
 * {@code descent bench} configurations.
 */
package dev.descent.bench;
