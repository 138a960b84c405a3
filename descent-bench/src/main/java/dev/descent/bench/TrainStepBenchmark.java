package dev.descent.bench;

import dev.descent.loss.Loss;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
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
 * One training step (forward, loss, backward, Adam update) of the MLP 784-128-10 on a batch
 * of 64 MNIST-shaped inputs. Samples per second = 64 / (time per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {
    Sequential model;
    Optimizer optimizer;
    Tensor inputs;
    Tensor labels;
    final Loss loss = Loss.softmaxCrossEntropy();

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        model = ModelSpec.parse("flatten dense(128) relu dense(10)").build(new int[] {1, 28, 28}, rng);
        optimizer = new Optimizer(Optimizers.adam(1e-3), model);
        inputs = Tensor.rand(rng, 64, 1, 28, 28);
        float[] y = new float[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
        }
        labels = Tensor.wrap(y, 64);
    }

    @Benchmark
    public double step() {
        optimizer.zeroGrad();
        Tensor l = loss.apply(model.forward(inputs), labels);
        l.backward();
        optimizer.step();
        return l.item();
    }
}
