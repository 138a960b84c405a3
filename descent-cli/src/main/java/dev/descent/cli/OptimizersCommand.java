package dev.descent.cli;

import dev.descent.optim.OptimizerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code descent optimizers}: every optimizer name with its hyperparameters and defaults. */
@Command(name = "optimizers", mixinStandardHelpOptions = true,
        description = "List the optimizers, their hyperparameters and defaults.")
final class OptimizersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().println(OptimizerRegistry.describe());
    }
}
