package dev.descent.bench;

import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Workspace;
import dev.descent.cli.BenchCommand;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step (forward, loss, backward, Adam update) of a {@code descent bench}
 * configuration on one batch of MNIST-shaped inputs, with its buffers in a {@link Workspace}
 * as {@code Trainer} keeps them. Samples per second = batch / (time per step). Run with the
 * allocation profiler to see the bytes allocated per step ({@code gc.alloc.rate.norm}):
 * {@code java -jar descent-bench/target/benchmarks.jar TrainStep -prof gc}. The products run
 * on OpenBLAS (descent-openblas is on this module's class path) unless {@code DESCENT_MATMUL=java}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainStepBenchmark {
    /** The configuration number of {@code descent bench}. */
    @Param({"1", "2"})
    public int config;

    final Workspace workspace = new Workspace();
    Sequential model;
    Optimizer optimizer;
    Tensor inputs;
    Tensor labels;
    final Loss loss = Loss.softmaxCrossEntropy();

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        BenchCommand.Config c = BenchCommand.CONFIGS.get(config - 1);
        model = ModelSpec.parse(c.model()).build(new int[] {1, 28, 28}, rng);
        optimizer = new Optimizer(Optimizers.adam(1e-3), model);
        inputs = Tensor.rand(rng, c.batch(), 1, 28, 28);
        float[] y = new float[c.batch()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
        }
        labels = Tensor.wrap(y, c.batch());
    }

    @Benchmark
    public double step() {
        workspace.recycle();
        double value;
        try (var active = workspace.activate()) {
            optimizer.zeroGrad();
            Tensor l = loss.apply(model.forward(inputs), labels);
            l.backward();
            value = l.item();
        }
        optimizer.step();
        return value;
    }
}
