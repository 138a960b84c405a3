package dev.descent.tensor;

/**
 * A single-precision matrix product behind the float kernels, replaceable by a provider on
 * the class path (the optional {@code descent-openblas} module is one):
 * <pre>
 * C = op(A)·op(B),   C[i, j] = Σ_p op(A)[i, p] · op(B)[p, j]   for i &lt; m, j &lt; n, p &lt; k
 * </pre>
 * where {@code op} is the identity or the transpose. All matrices are row-major: A is stored
 * m×k from {@code aOff} (k×m when {@code transA}), B is stored k×n from {@code bOff} (n×k when
 * {@code transB}) and C, m×n from {@code cOff}, is overwritten; A and B are not modified.
 *
 * <p>Providers register in {@code META-INF/services/dev.descent.tensor.MatmulBackend} and are
 * looked up once with {@link java.util.ServiceLoader}. The system property
 * {@code descent.matmul}, else the environment variable {@code DESCENT_MATMUL}, picks one by
 * {@link #name()}: {@code java} forces the built-in packed kernel; unset means a provider if
 * one is on the class path, else the built-in kernel; a name that is not on the class path
 * (or a provider that fails to load) gives a one-line notice on stderr and the built-in kernel.
 * A provider may be called from several threads at once, including from {@link Parallel}
 * workers, and must give the same C as the built-in kernel up to float rounding.
 */
public interface MatmulBackend {

    /** The name that selects this backend ({@code java}, {@code openblas}). */
    String name();

    /** One line for {@code descent info}, for example {@code openblas 0.3.31 (2 threads)}. */
    String describe();

    /** {@code C = op(A)·op(B)}, as in the class comment; C is overwritten. */
    void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                  float[] c, int cOff, int m, int k, int n);

    /** The backend the float kernels use, chosen once as the class comment says. */
    static MatmulBackend selected() {
        return MatmulBackends.SELECTED;
    }

    /** The built-in pure-Java kernel ({@code java}), whatever is selected. */
    static MatmulBackend builtIn() {
        return MatmulBackends.JAVA;
    }

    /**
     * What computes float matrix products in this JVM, for reports: the selected backend's
     * {@link #describe()}, or the scalar reference loops when the Vector API module is absent.
     */
    static String inUse() {
        return Kernels.float32Name().equals("scalar") ? "scalar (reference loops)" : selected().describe();
    }
}
