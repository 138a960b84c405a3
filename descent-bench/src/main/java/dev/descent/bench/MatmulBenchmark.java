package dev.descent.bench;

import dev.descent.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Square float matrix products {@code C = A·B}. GFLOP/s = 2·n³ / (time per operation):
 * for n = 512, 0.268 GFLOP per product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {
    @Param({"128", "256", "512", "1024"})
    int n;

    Tensor a;
    Tensor b;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        a = Tensor.randn(rng, n, n);
        b = Tensor.randn(rng, n, n);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }
}
