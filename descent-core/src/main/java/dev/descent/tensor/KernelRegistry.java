package dev.descent.tensor;

/** Picks the float kernels (and the recurrent ones) once: SIMD when the Vector API module is present, else the plain loops. */
final class KernelRegistry {
    static final Kernels REFERENCE = new ReferenceKernels();
    static final Kernels FLOAT32 = pickFloat32();
    static final RecurrentKernels REFERENCE_RECURRENT = new ReferenceRecurrentKernels();
    static final RecurrentKernels FLOAT32_RECURRENT =
            FLOAT32 == REFERENCE ? REFERENCE_RECURRENT : new VectorRecurrentKernels();

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
