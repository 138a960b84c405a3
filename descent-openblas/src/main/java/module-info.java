/**
 * The optional OpenBLAS matrix product: provides a {@link dev.descent.tensor.MatmulBackend}
 * named {@code openblas} (class {@link dev.descent.openblas.OpenBlasBackend}) through OpenBLAS's
 * {@code cblas_sgemm}. It requires bytedeco's Linux x86-64 native modules, the only platform
 * this module ships.
 */
module dev.descent.openblas {
    requires dev.descent.core;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    // The native libraries: resources of these (open) modules, which nothing else would resolve.
    requires org.bytedeco.javacpp.linux.x86_64;
    requires org.bytedeco.openblas.linux.x86_64;

    exports dev.descent.openblas;

    provides dev.descent.tensor.MatmulBackend with dev.descent.openblas.OpenBlasBackend;
}
