package dev.descent.tensor;

/** Picks the float kernels once: SIMD when the Vector API module is present, else the plain loops. */
final class KernelRegistry {
    static final Kernels REFERENCE = new ReferenceKernels();
    static final Kernels FLOAT32 = pickFloat32();

    private KernelRegistry() {
    }

    private static Kernels pickFloat32() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return new VectorKernels();
        }
        System.err.println("descent: notice: the Vector API module is absent (run java with "
                + "--add-modules jdk.incubator.vector); using the slower scalar kernels");
        return REFERENCE;
    }

    /** A short name of the float kernels in use, for reports. */
    static String float32Name() {
        return FLOAT32 == REFERENCE ? "scalar" : "vector (" + VectorKernels.describe() + ")";
    }
}
