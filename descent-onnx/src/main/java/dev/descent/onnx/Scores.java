package dev.descent.onnx;

import dev.descent.tensor.Shape;

/**
 * The tensor in which the part of the graph that maps the encoded input to outputs (a network,
 * a tree ensemble) writes its scores (logits, margins or standardized values), and their shape
 * per example.
 */
record Scores(String tensor, Shape exampleShape) {
}
