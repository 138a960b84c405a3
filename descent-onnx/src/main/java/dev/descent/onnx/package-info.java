/**
 * ONNX export: {@link dev.descent.onnx.OnnxExporter} writes a trained network (MLP, CNN, table
 * network) or XGBoost trees as one ONNX model that takes the raw input {@code descent predict}
 * takes, with the model's own preprocessing (input normalization, the table's encoding) and the
 * prediction head (softmax, sigmoid pair, or the target's scale for regression) inside the graph,
 * so that ONNX Runtime gives the probabilities or values Descent gives.
 */
package dev.descent.onnx;
