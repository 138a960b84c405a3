package dev.descent.bench;

import dev.descent.cli.MatmulShape;
import dev.descent.tensor.Kernels;
import dev.descent.tensor.DType;
import dev.descent.tensor.Storage;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Float matrix products {@code C = op(A)·op(B)} through the float kernels, at square sizes and
 * at the shapes of the layers in {@code descent bench}. Besides the time per product, JMH
 * reports the secondary result {@code flops}: floating-point operations per second, counting
 * 2·m·k·n per product, so {@code flops / 1e9} is GFLOP/s.
 *
 * <p>A shape is {@code m x k x n}, optionally followed by {@code :NT} (A·Bᵀ, a forward pass
 * {@code x·wᵀ}), {@code :TN} (Aᵀ·B, a weight gradient {@code dyᵀ·x}) or {@code :NN}.
 * Run: {@code java -jar descent-bench/target/benchmarks.jar Matmul -p shape=512x512x512}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class MatmulBenchmark {
    @Param({"128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "64x784x128:NT", "128x64x784:TN", "256x784x1024:NT", "256x1024x1024:NT", "256x1024x1024:NN",
            "1024x256x1024:TN", "1024x256x784:TN", "128x9216x128:NT", "128x128x9216:NN"})
    public String shape;

    private final Kernels kernels = Kernels.of(DType.FLOAT32);
    private MatmulShape s;
    private Storage a;
    private Storage b;
    private Storage c;

    /** Counts floating-point operations; JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Setup
    public void setup() {
        s = MatmulShape.parse(shape);
        SplittableRandom rng = new SplittableRandom(1);
        a = MatmulShape.random(rng, s.m() * s.k());
        b = MatmulShape.random(rng, s.k() * s.n());
        c = Storage.allocate(DType.FLOAT32, s.m() * s.n());
    }

    @Benchmark
    public Storage matmul(Flops counter) {
        kernels.matmul(a, 0, s.transA(), b, 0, s.transB(), c, 0, s.m(), s.k(), s.n());
        counter.flops += s.flops();
        return c;
    }
}
