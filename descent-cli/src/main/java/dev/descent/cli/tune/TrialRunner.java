package dev.descent.cli.tune;

import dev.descent.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@code descent train ... --json} of a search and returns its summary: in a child JVM
 * ({@link ProcessRunner}) or as a cluster task ({@link ClusterRunner}). Either writes the command's
 * messages to {@code LOG} and its standard output to {@code LOG.out}, whose last line is the summary.
 */
public interface TrialRunner {
    /**
     * Runs {@code descent ARGS}; returns the JSON summary it printed last.
     *
     * @throws Tuner.TrialFailed when it exits with an error (the last line of its log is the message)
     */
    Map<String, Object> run(List<String> descentArgs, Path log) throws Tuner.TrialFailed, InterruptedException;

    /** Where a run with messages in {@code log} writes its standard output. */
    static Path outputOf(Path log) {
        return log.resolveSibling(log.getFileName() + ".out");
    }

    /**
     * The summary of a finished run: the last line of its output, when it exited with status 0
     * and that line is a JSON object.
     *
     * @throws Tuner.TrialFailed otherwise, with the last line of the log
     */
    static Map<String, Object> summary(int status, Path log) throws Tuner.TrialFailed {
        try {
            String text = Files.readString(outputOf(log), StandardCharsets.UTF_8).strip();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            if (status != 0 || !last.startsWith("{")) {
                throw new Tuner.TrialFailed(lastLine(log) + " (exit status " + status + ")");
            }
            return Json.parseObject(last);
        } catch (IOException e) {
            throw new Tuner.TrialFailed("lost the trial's output (" + e.getMessage() + ")");
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "no log";
        }
    }
}
