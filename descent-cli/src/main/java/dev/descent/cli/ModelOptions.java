package dev.descent.cli;

import picocli.CommandLine.Option;

/** The model options of {@code train} and {@code lr-find} (settings: {@link CommandLineSettings}). */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "SPEC",
            description = "Model specification, e.g. \"conv(32,3) relu maxpool(2) flatten dense(10)\", or a preset: mlp, lenet5, cnn (see `descent summary`); instead of --layers/--activation/--dropout.")
    String model;

    @Option(names = "--layers", split = ",", paramLabel = "N,N", description = "Hidden layer widths of the MLP (default: ${sys:descent.default.layers}).")
    int[] layers;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Hidden activation: relu, leaky_relu, elu, gelu, silu, sigmoid, tanh (default: ${sys:descent.default.activation}).")
    String activation;

    @Option(names = "--dropout", paramLabel = "RATE", description = "Dropout rate after each hidden layer (default: ${sys:descent.default.dropout}).")
    Double dropout;

    @Option(names = "--output-init", arity = "0..1", paramLabel = "true|false",
            description = "The lecture's output-layer rule: zero output weights, bias = log class frequency (default: ${sys:descent.default.output_init}).")
    Boolean outputInit;

    @Option(names = "--init-constant", paramLabel = "C",
            description = "Start every weight at C and every bias at 0 (the symmetric start the lecture warns about).")
    Double initConstant;
}
