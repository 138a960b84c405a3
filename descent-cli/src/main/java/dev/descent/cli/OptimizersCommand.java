package dev.descent.cli;

import dev.descent.optim.OptimizerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code descent optimizers [NAME...]}: each optimizer with its training learning rate, its rule, and
 * its hyperparameters with their spellings and defaults (all of them, or those named).
 */
@Command(name = "optimizers", mixinStandardHelpOptions = true,
        description = {"List the optimizers: each one's learning rate under `descent train`, its update rule, and its",
                "hyperparameters with their defaults and the other spellings --opt accepts (optax's, PyTorch's).",
                "Example: descent optimizers adam rmsprop"})
final class OptimizersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Optimizers to show (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public void run() {
        spec.commandLine().getOut().print(OptimizerRegistry.describe(names));
        spec.commandLine().getOut().flush();
    }
}
