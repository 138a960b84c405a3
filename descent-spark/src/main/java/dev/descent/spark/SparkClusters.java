package dev.descent.spark;

import dev.descent.train.Cluster;

import java.util.function.Consumer;

/** The {@link Cluster.Provider} of Spark clusters: {@code --spark MASTER} connects a {@link SparkCluster}. */
public final class SparkClusters implements Cluster.Provider {
    /** The provider ({@link java.util.ServiceLoader} calls it). */
    public SparkClusters() {
    }

    @Override
    public String option() {
        return "--spark";
    }

    @Override
    public Cluster connect(String master, Consumer<String> log) {
        return SparkCluster.connect(master, log);
    }
}
