package dev.descent.tensor;

/**
 * Element type of a tensor. Training runs in {@link #FLOAT32}; {@link #FLOAT64} is the
 * precise path used by gradient checks and by the reference kernels the fast ones are
 * tested against.
 */
public enum DType {
    /** 32-bit IEEE floats: the working precision, computed by the fast kernels. */
    FLOAT32,
    /** 64-bit IEEE doubles: computed by the plain reference kernels. */
    FLOAT64
}
