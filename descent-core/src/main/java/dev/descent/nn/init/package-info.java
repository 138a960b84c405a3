/**
 * Weight initializers (uniform, normal, Glorot, He, LeCun, orthogonal, zeros, constant), each
 * with the distribution it draws from, and the output-layer rule that starts a network at the
 * naive prediction (weights 0, biases the logarithm of the class frequencies).
 */
package dev.descent.nn.init;
