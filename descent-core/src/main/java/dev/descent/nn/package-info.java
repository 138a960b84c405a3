/**
 * Layers and networks: {@link dev.descent.nn.Module} (a function with named parameters in a fixed
 * order, such as {@code "fc1.weight"}), {@link dev.descent.nn.Sequential}, the dense layer
 * {@code y = x·Wᵀ + b}, activations, dropout, convolution, pooling, batch and layer normalization,
 * and {@link dev.descent.nn.ModelSpec}, the text form of a network ({@code "flatten dense(128) relu
 * dense(10)"}) that the command line and checkpoints use. Each class writes out the rule its forward
 * pass computes.
 */
package dev.descent.nn;
