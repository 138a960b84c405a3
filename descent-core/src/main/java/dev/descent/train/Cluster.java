package dev.descent.train;

import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A connection to a compute cluster that trains ({@link BatchGradients}: data-parallel, the
 * optimizer here), reads tables ({@link #readTable}) and runs commands as cluster tasks (one
 * tuning trial each). Module
 * {@code dev.descent.spark} provides one on Apache Spark; the command line finds it with
 * {@link java.util.ServiceLoader} ({@link Provider}) when given {@code --spark MASTER}.
 */
public interface Cluster extends BatchGradients, AutoCloseable {
    /**
     * Runs {@code static int run(PrintStream out, PrintStream err, String... args)} of class
     * {@code entryPoint} in one cluster task, its standard output and error written to
     * {@code out} and {@code err} (on a file system the workers share), and waits for it.
     *
     * @return the exit status it returned
     * @throws InterruptedException when the wait is interrupted (the task is cancelled)
     */
    int run(String entryPoint, List<String> args, Path out, Path err) throws InterruptedException;

    /**
     * Reads the table {@code file} on the cluster (Parquet, or CSV text in {@code format}) and
     * gathers here the columns that {@code columns} picks from the file's column names, as the
     * text cells a CSV file gives ({@link dev.descent.data.table.Cells#normalize}: missing values
     * null), for the same preprocessing and training as a table read here.
     */
    Table readTable(String file, CsvReader.Format format, UnaryOperator<List<String>> columns);

    /** The tasks the cluster runs at once (its cores). */
    int cores();

    /** Disconnects (stops the cluster's application). */
    @Override
    void close();

    /** What connects to a cluster: found by {@link java.util.ServiceLoader}. */
    interface Provider {
        /** The command-line option that selects it, e.g. {@code --spark}. */
        String option();

        /**
         * Connects to {@code master} (e.g. {@code local[2]}, {@code spark://host:7077}).
         *
         * @param log where the cluster's messages go, one line each
         */
        Cluster connect(String master, Consumer<String> log);
    }
}
