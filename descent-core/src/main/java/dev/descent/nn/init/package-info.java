/**
 * Weight initializers (uniform, normal, Glorot, He, LeCun, orthogonal, zeros, constant), each
 * with the distribution it draws from. (The output-layer rule that starts a network at the naive
 * prediction, {@link dev.descent.nn.OutputInit}, is in {@code nn}: it sets a layer, not a tensor.)
 */
package dev.descent.nn.init;
