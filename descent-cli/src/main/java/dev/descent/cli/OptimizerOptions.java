package dev.descent.cli;

import picocli.CommandLine.Option;

/** The optimizer options of {@code train} (settings: {@link CommandLineSettings}). */
final class OptimizerOptions {
    @Option(names = "--optimizer", paramLabel = "NAME", description = "Optimizer name; see `descent optimizers` (default: ${sys:descent.default.optimizer}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: the optimizer's training rate, see `descent optimizers`; text: 2e-3).")
    Double lr;

    @Option(names = "--opt", paramLabel = "K=V,...", description = "Optimizer hyperparameters, e.g. b1=0.9,eps=1e-7 (optax's and PyTorch's names).")
    String opt;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule: constant, or cosine (decays to 0 over the run) (default: ${sys:descent.default.schedule}).")
    String schedule;

    @Option(names = "--clip-norm", paramLabel = "MAX", description = "Clip the gradients to this global norm before the optimizer, 0 for off (default: ${sys:descent.default.clip_norm}).")
    Double clipNorm;
}
