/**
 * Training and tuning on Apache Spark: {@link dev.descent.spark.SparkCluster} computes the batch
 * gradients of data-parallel training and runs tuning trials as Spark tasks, offered to the core
 * as the {@link dev.descent.train.Cluster.Provider} {@link dev.descent.spark.SparkClusters}
 * ({@code --spark MASTER}). Spark's jars cannot be modules, so they stay on the class path (where
 * Spark's executors load this module's classes too) and this module reads the unnamed module.
 */
module dev.descent.spark {
    requires dev.descent.core;

    exports dev.descent.spark;
    opens dev.descent.spark;

    provides dev.descent.train.Cluster.Provider with dev.descent.spark.SparkClusters;
}
