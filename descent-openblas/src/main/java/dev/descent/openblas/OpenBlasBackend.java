package dev.descent.openblas;

import dev.descent.tensor.MatmulBackend;
import dev.descent.tensor.Parallel;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.util.concurrent.ForkJoinTask;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * The matrix product {@code C = op(A)·op(B)} through OpenBLAS's {@code cblas_sgemm} (row-major,
 * {@code α = 1}, {@code β = 0}), from bytedeco's OpenBLAS preset. Found by
 * {@link java.util.ServiceLoader} as a {@link MatmulBackend} named {@code openblas}, so putting
 * this module on the class path is all it takes; {@code DESCENT_MATMUL=java} turns it off.
 *
 * <p>The operands are copied to native buffers (one set per calling thread, grown as needed
 * and reused), multiplied there, and C is copied back: {@code m·k + k·n + m·n} copies against
 * {@code 2·m·k·n} flops. OpenBLAS's thread count follows {@link Parallel#threads()}; a call from
 * a fork-join worker (for example a convolution running one product per example in
 * parallel) runs on OpenBLAS's calling thread only, so the cores are not oversubscribed.
 */
public final class OpenBlasBackend implements MatmulBackend {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final Object THREADS_LOCK = new Object();
    /** The thread count last given to OpenBLAS (it is global to the process). */
    private static volatile int openBlasThreads = -1;

    private final String version;

    /** Loads the native library; throws {@link UnsatisfiedLinkError} where it cannot (another platform). */
    public OpenBlasBackend() {
        Loader.load(openblas_nolapack.class);
        version = openblas_nolapack.OPENBLAS_VERSION.trim().replaceFirst("^OpenBLAS ", "");
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public String describe() {
        int threads = Parallel.threads();
        return "openblas " + version + " (" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    @Override
    public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                         float[] c, int cOff, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        useThreads(ForkJoinTask.inForkJoinPool() ? 1 : Parallel.threads());
        Buffers buffers = BUFFERS.get();
        FloatPointer pa = buffers.atLeast(Buffers.A, m * k), pb = buffers.atLeast(Buffers.B, k * n),
                pc = buffers.atLeast(Buffers.C, m * n);
        pa.put(a, aOff, m * k);
        pb.put(b, bOff, k * n);
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, pa, transA ? m : k, pb, transB ? k : n, 0f, pc, n);
        pc.get(c, cOff, m * n);
    }

    private static void useThreads(int threads) {
        if (openBlasThreads != threads) {
            synchronized (THREADS_LOCK) {
                if (openBlasThreads != threads) {
                    openblas_nolapack.blas_set_num_threads(threads);
                    openBlasThreads = threads;
                }
            }
        }
    }

    /** One calling thread's native copies of A, B and C, each grown when a product needs more. */
    private static final class Buffers {
        static final int A = 0, B = 1, C = 2;
        private final FloatPointer[] buffers = new FloatPointer[3];

        FloatPointer atLeast(int which, int size) {
            FloatPointer buffer = buffers[which];
            if (buffer == null || buffer.capacity() < size) {
                if (buffer != null) {
                    buffer.close();
                }
                buffer = new FloatPointer(size);
                buffers[which] = buffer;
            }
            return buffer;
        }
    }
}
