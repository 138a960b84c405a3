package dev.descent.cli;

import dev.descent.tensor.Kernels;
import dev.descent.tensor.MatmulBackend;
import dev.descent.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code descent info}: the version, the JVM, the kernels, the matmul backend and the thread count in use. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the runtime: Java, kernels, matmul, threads.")
final class InfoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("descent " + Version.VERSION);
        out.println("java    " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.println("kernels " + Kernels.float32Name());
        out.println("matmul  " + MatmulBackend.inUse() + " (choose with DESCENT_MATMUL=java|openblas)");
        out.println("threads " + Parallel.threads() + " (set with --threads or DESCENT_THREADS)");
        out.println("cores   " + Runtime.getRuntime().availableProcessors());
        String data = System.getenv("DESCENT_DATA");
        out.println("data    " + (data == null ? "DESCENT_DATA not set" : data));
    }
}
