package dev.descent.cli.tune;

import dev.descent.cli.Main;
import dev.descent.train.Cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs each trial as one task of a cluster ({@code descent tune --spark MASTER}): the task calls
 * {@link Main#run} in an executor, which writes the trial's folder, log and output on a file
 * system the workers share with this machine.
 */
public final class ClusterRunner implements TrialRunner {
    private final Cluster cluster;

    public ClusterRunner(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Map<String, Object> run(List<String> descentArgs, Path log) throws Tuner.TrialFailed, InterruptedException {
        int status = cluster.run(Main.class.getName(), descentArgs, TrialRunner.outputOf(log), log);
        return TrialRunner.summary(status, log);
    }
}
