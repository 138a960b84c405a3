package dev.descent.cli;

import dev.descent.DescentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rule for single output files the user names ({@code --output}, {@code --plot},
 * {@code --preview}, ...): a folder is never replaced, an existing file only with
 * {@code --overwrite}, and every file is checked before any work starts.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Refuses a folder always, and an existing file unless {@code overwrite}. */
    static void check(Path file, boolean overwrite) {
        check(List.of(file), overwrite);
    }

    /** {@link #check(Path, boolean)} for each of {@code files}. */
    static void check(List<Path> files, boolean overwrite) {
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                throw new DescentException(file + " is a folder; give a file name for the output");
            }
            if (Files.exists(file) && !overwrite) {
                throw new DescentException(file + " exists; give another file name, or --overwrite to replace it");
            }
        }
    }
}
