package dev.descent.cli.tune;

import dev.descent.DescentException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
public final class ProcessRunner implements TrialRunner {
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

    @Override
    public Map<String, Object> run(List<String> descentArgs, Path log) throws Tuner.TrialFailed, InterruptedException {
        Path output = TrialRunner.outputOf(log);
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
            return TrialRunner.summary(process.waitFor(), log);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
