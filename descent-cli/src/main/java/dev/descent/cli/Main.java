package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code descent} command. Every failure ends in one line on standard error and its own exit
 * status: {@value #USAGE} for a user error ({@link DescentException}, a bad option),
 * {@value #DIVERGED} when training diverged, {@value #OUT_OF_MEMORY} when the JVM ran out of
 * memory; bugs keep their stack trace and exit with status 1.
 */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Build and train neural networks by gradient descent and backpropagation.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, GenerateCommand.class, CompareCommand.class, OptimizersCommand.class,
                OptimizeCommand.class, TuneCommand.class, LrFindCommand.class, PlotCommand.class, SummaryCommand.class,
                AugmentCommand.class, InfoCommand.class, BenchCommand.class, ExportCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status of a user error. */
    public static final int USAGE = 2;
    /** Exit status of a training run that diverged. */
    public static final int DIVERGED = 3;
    /** Exit status when the JVM ran out of memory. */
    public static final int OUT_OF_MEMORY = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLineSettings.publishDefaults();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof TrainingDivergedException) {
                err.println("descent: error: " + e.getMessage());
                return DIVERGED;
            }
            if (e instanceof DescentException) {
                err.println("descent: error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            err.println("descent: error: " + e.getMessage().replace('\n', ' ').trim()
                    + " (see '" + name + " --help')");
            return USAGE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("descent: error: out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap): the model,"
                    + " the batch or the data set is too big for it; use a smaller --batch-size, --limit or model, or give"
                    + " Java more with DESCENT_JAVA_OPTS=-Xmx8g");
            return OUT_OF_MEMORY;
        }
    }
}
