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
 * {@code 2·m·k·n} flops. Products of fewer than {@value #SMALL_FLOPS} multiply-adds (and empty
 * ones) go to {@link MatmulBackend#builtIn()} instead.
 *
 * <p>Threads: OpenBLAS itself runs single-threaded. C is cut into at most {@value #MAX_BANDS}
 * bands of at least {@value #MIN_BAND} rows (or columns, when C is wider than tall), each one
 * {@code cblas_sgemm} call {@code C[i0..i1, :] = op(A)[i0..i1, :]·op(B)}, and the {@link Parallel} pool (its
 * {@link Parallel#threads()}) shares the bands out. The bands do not depend on the thread count,
 * so neither does C, to the bit. Measured on a loaded 2-core machine this ran several times
 * faster than OpenBLAS's own thread pool, whose static split stalls when one of its threads is
 * descheduled. A call from a fork-join worker (for example a convolution running one product per
 * example in parallel) runs all its bands on that worker, so the cores are not oversubscribed.
 */
public final class OpenBlasBackend implements MatmulBackend {
    /**
     * Products below this many multiply-adds go to the built-in kernel: there the copies to native
     * memory cost more than OpenBLAS gains (the CNN's per-example convolution products; with it,
     * {@code descent bench --config 3} on one thread went from 0.9 to 1.0 times the built-in kernel).
     */
    private static final long SMALL_FLOPS = 1L << 20;
    /** C is cut into at most this many bands of at least {@link #MIN_BAND} rows or columns. */
    private static final int MAX_BANDS = 8;
    private static final int MIN_BAND = 64;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final String version;

    /** Loads the native library; throws {@link UnsatisfiedLinkError} where it cannot (another platform). */
    public OpenBlasBackend() {
        Loader.load(openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(1);
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
        if ((long) m * k * n < SMALL_FLOPS) {
            MatmulBackend.builtIn().multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n);
        } else {
            openBlas(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n);
        }
    }

    /** {@link #multiply} through OpenBLAS whatever the size (k ≥ 1, m ≥ 1, n ≥ 1). */
    void openBlas(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                  float[] c, int cOff, int m, int k, int n) {
        Buffers buffers = BUFFERS.get();
        FloatPointer pa = buffers.atLeast(Buffers.A, m * k), pb = buffers.atLeast(Buffers.B, k * n),
                pc = buffers.atLeast(Buffers.C, m * n);
        pa.put(a, aOff, m * k);
        pb.put(b, bOff, k * n);
        boolean byRows = m >= n;
        int extent = byRows ? m : n;
        int bands = Math.min(MAX_BANDS, (extent + MIN_BAND - 1) / MIN_BAND);
        int band = ((extent + bands - 1) / bands + 15) / 16 * 16;
        bands = (extent + band - 1) / band;
        int grain = ForkJoinTask.inForkJoinPool() ? bands : 1;
        Parallel.forRange(bands, grain, (from, to) -> {
            for (int lo = from * band; lo < Math.min(extent, to * band); lo += band) {
                int hi = Math.min(extent, lo + band);
                if (byRows) {
                    sgemm(pa, transA, pb, transB, pc, m, k, n, lo, hi, 0, n);
                } else {
                    sgemm(pa, transA, pb, transB, pc, m, k, n, 0, m, lo, hi);
                }
            }
        });
        pc.get(c, cOff, m * n);
    }

    /** {@code C[i0..i1, j0..j1] = op(A)[i0..i1, :]·op(B)[:, j0..j1]} on the native copies. */
    private static void sgemm(FloatPointer a, boolean transA, FloatPointer b, boolean transB, FloatPointer c,
                              int m, int k, int n, int i0, int i1, int j0, int j1) {
        long aAt = transA ? i0 : (long) i0 * k, bAt = transB ? (long) j0 * k : j0, cAt = (long) i0 * n + j0;
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                i1 - i0, j1 - j0, k, 1f, a.getPointer(aAt), transA ? m : k, b.getPointer(bAt), transB ? k : n,
                0f, c.getPointer(cAt), n);
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
