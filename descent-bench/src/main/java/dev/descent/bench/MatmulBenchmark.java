package dev.descent.bench;

import dev.descent.cli.MatmulShape;
import dev.descent.tensor.FloatStorage;
import dev.descent.tensor.MatmulBackend;
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

import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Float matrix products {@code C = op(A)·op(B)} through a {@link MatmulBackend} ({@code java}, the
 * built-in kernel, or {@code openblas}, the optional module), at square sizes and at the shapes
 * of the layers in {@code descent bench}. Besides the time per product, JMH
 * reports the secondary result {@code flops}: floating-point operations per second, counting
 * 2·m·k·n per product, so {@code flops / 1e9} is GFLOP/s.
 *
 * <p>A shape is {@code m x k x n}, optionally followed by {@code :NT} (A·Bᵀ, a forward pass
 * {@code x·wᵀ}), {@code :TN} (Aᵀ·B, a weight gradient {@code dyᵀ·x}) or {@code :NN}.
 * Run: {@code java -jar descent-bench/target/benchmarks.jar Matmul -p shape=512x512x512 -p backend=java,openblas};
 * the thread count is {@code DESCENT_THREADS} (the forked JVM inherits it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
        "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {
    @Param({"128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "64x784x128:NT", "128x64x784:TN", "256x784x1024:NT", "256x1024x1024:NT", "256x1024x1024:NN",
            "1024x256x1024:TN", "1024x256x784:TN", "128x9216x128:NT", "128x128x9216:NN"})
    public String shape;

    /** The {@link MatmulBackend#name()} to measure. */
    @Param({"java", "openblas"})
    public String backend;

    private MatmulBackend matmul;
    private MatmulShape s;
    private float[] a;
    private float[] b;
    private float[] c;

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
        matmul = backend.equals(MatmulBackend.builtIn().name()) ? MatmulBackend.builtIn()
                : ServiceLoader.load(MatmulBackend.class).stream().map(ServiceLoader.Provider::get)
                        .filter(found -> found.name().equals(backend)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no matmul backend named " + backend));
        s = MatmulShape.parse(shape);
        SplittableRandom rng = new SplittableRandom(1);
        a = ((FloatStorage) MatmulShape.random(rng, s.m() * s.k())).data();
        b = ((FloatStorage) MatmulShape.random(rng, s.k() * s.n())).data();
        c = new float[s.m() * s.n()];
    }

    @Benchmark
    public float[] matmul(Flops counter) {
        matmul.multiply(a, 0, s.transA(), b, 0, s.transB(), c, 0, s.m(), s.k(), s.n());
        counter.flops += s.flops();
        return c;
    }
}
