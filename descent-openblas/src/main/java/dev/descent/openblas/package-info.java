/**
 * An optional {@link dev.descent.tensor.MatmulBackend}: the matrix product
 * {@code C = op(A)·op(B)} through OpenBLAS's {@code cblas_sgemm} (bytedeco's preset, Linux x86-64).
 * Having this module on the class path or module path is all it takes; {@code DESCENT_MATMUL=java}
 * turns it off.
 */
package dev.descent.openblas;
