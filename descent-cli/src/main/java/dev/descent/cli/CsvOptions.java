package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.table.CsvReader;
import dev.descent.data.table.Table;
import dev.descent.data.table.TableReader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How to read a CSV file: its delimiter and whether it has a header row. */
final class CsvOptions {
    @Option(names = "--no-header", description = "Tables: the CSV file has no header row; columns are named 1, 2, ... (e.g. --target 65).")
    boolean noHeader;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Tables: CSV cell separator, one character or 'tab' (default: ',' and tab for .tsv).")
    String delimiter;

    /**
     * Reads a table file; {@code savedHeader} (from a checkpoint, or null) says whether the
     * training file had a header, so a model trained with --no-header reads new files the same way.
     */
    Table read(Path file, Boolean savedHeader) {
        boolean header = savedHeader != null && !noHeader ? savedHeader : !noHeader;
        return TableReader.read(file, new CsvReader.Format(delimiterChar(), header));
    }

    private Character delimiterChar() {
        if (delimiter == null) {
            return null;
        }
        if (delimiter.equals("tab") || delimiter.equals("\\t")) {
            return '\t';
        }
        if (delimiter.length() != 1) {
            throw new DescentException("--delimiter must be one character or 'tab', got '" + delimiter + "'");
        }
        return delimiter.charAt(0);
    }
}
