package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.train.Cluster;

import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * {@code --spark MASTER}: connects to the cluster through the {@link Cluster.Provider} on the class
 * path (module {@code descent-spark}, which the launcher {@code ./descent} adds when it sees
 * {@code --spark}; Spark's jars are too big for the default jar).
 */
final class ClusterOption {
    private ClusterOption() {
    }

    /** The cluster the provider of {@code option} connects to at {@code master}. */
    static Cluster connect(String option, String master, Consumer<String> log) {
        for (Cluster.Provider provider : ServiceLoader.load(Cluster.Provider.class)) {
            if (provider.option().equals(option)) {
                return provider.connect(master, log);
            }
        }
        throw new DescentException(option + " needs the descent-spark module and Spark's jars on the class path: run"
                + " through ./descent (which adds them when it sees " + option + ") or spark-submit (docs/spark.md)");
    }
}
