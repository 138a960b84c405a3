package dev.descent.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** How {@code train} and {@code compare} read a table and what they predict (settings: {@link CommandLineSettings}). */
final class TableOptions {
    @Option(names = {"--target", "--label"}, paramLabel = "COLUMN", description = "Tables: the column to predict; 'last' for the last column (default: ${sys:descent.default.target}).")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "COL,COL",
            description = "Tables: the input columns (default: every column but the target and --ignore); with --spark only these are read.")
    List<String> features;

    @Option(names = "--categorical", split = ",", paramLabel = "COL,COL", description = "Tables: columns to one-hot encode even when they hold numbers.")
    List<String> categorical;

    @Option(names = "--ignore", split = ",", paramLabel = "COL,COL", description = "Tables: columns to leave out (ids, free text).")
    List<String> ignore;

    @Option(names = "--missing", paramLabel = "POLICY",
            description = "Tables: missing input values: impute (mean / most frequent, plus a NAME_missing input) or error (default: ${sys:descent.default.missing}).")
    String missing;

    @Option(names = "--task", paramLabel = "TASK", description = "Tables: classification or regression (default: detected from the target column).")
    String task;

    @Option(names = "--no-header", description = "Tables: the CSV file has no header row; columns are named 1, 2, ... (e.g. --target 65).")
    Boolean noHeader;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Tables: CSV cell separator, one character or 'tab' (default: ',' and tab for .tsv).")
    String delimiter;
}
