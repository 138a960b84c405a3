package dev.descent.cli.tune;

import dev.descent.cli.Main;

import java.util.Arrays;

/**
 * Entry point of a trial's child JVM: {@code TrialMain PARENT_PID descent-arguments...}. It runs the
 * {@code descent} command line and ends the JVM as soon as the parent process is gone, so a tuning
 * run that is killed (even with SIGKILL) leaves no trials running behind it.
 */
public final class TrialMain {
    /** Exit status when the parent died. */
    static final int ORPHANED = 3;

    private TrialMain() {
    }

    public static void main(String[] args) {
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(ORPHANED)),
                () -> Runtime.getRuntime().halt(ORPHANED));
        System.exit(Main.run(System.out, System.err, Arrays.copyOfRange(args, 1, args.length)));
    }
}
