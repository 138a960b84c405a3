package dev.descent.cli;

import dev.descent.DescentException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The {@code descent} command. User errors ({@link DescentException}, bad options) print one
 * line naming the problem and the fix and exit with status 2; bugs keep their stack trace
 * and exit with status 1.
 */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Build and train neural networks by gradient descent and backpropagation.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, CompareCommand.class, OptimizersCommand.class,
                OptimizeCommand.class, TuneCommand.class, LrFindCommand.class, PlotCommand.class, SummaryCommand.class,
                AugmentCommand.class, InfoCommand.class, BenchCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status of a user error. */
    public static final int USAGE = 2;

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
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
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
        return cli.execute(args);
    }
}
