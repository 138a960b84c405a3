package dev.descent.cli.tune;

import dev.descent.DescentException;
import dev.descent.io.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code descent train ... --json} in a child JVM started with this JVM's java command, JVM
 * options and class path ({@link TrialMain}), and reads the summary from the last line of its
 * output ({@code LOG.out}); its messages go to {@code LOG}. An interrupted wait ends the child.
 */
public final class ProcessRunner {
    private final List<String> launcher;

    public ProcessRunner() {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        launcher = new ArrayList<>();
        launcher.add(java);
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xdebug")) {
                launcher.add(option);
            }
        }
        launcher.add("-cp");
        launcher.add(System.getProperty("java.class.path"));
        launcher.add(TrialMain.class.getName());
        launcher.add(Long.toString(ProcessHandle.current().pid()));
    }

    /**
     * Runs {@code descent ARGS}; returns the JSON summary it printed last.
     *
     * @throws Tuner.TrialFailed when it exits with an error (the last line of its log is the message)
     */
    public Map<String, Object> run(List<String> descentArgs, Path log) throws Tuner.TrialFailed, InterruptedException {
        Path output = log.resolveSibling(log.getFileName() + ".out");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(descentArgs);
        Process process;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new DescentException("cannot start a trial JVM (" + e.getMessage() + ")", e);
        }
        try {
            int status = process.waitFor();
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            if (status != 0 || !last.startsWith("{")) {
                throw new Tuner.TrialFailed(lastLine(log) + " (exit status " + status + ")");
            }
            return Json.parseObject(last);
        } catch (IOException e) {
            throw new Tuner.TrialFailed("lost the trial's output (" + e.getMessage() + ")");
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor();
            }
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
