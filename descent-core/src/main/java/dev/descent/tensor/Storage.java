package dev.descent.tensor;

/**
 * The flat, row-major element buffer behind a tensor. {@link #get} and {@link #set} work in
 * double precision whatever the element type, so one plain loop serves both types; the fast
 * float kernels reach the array itself through {@link FloatStorage#data()}.
 */
public sealed interface Storage permits FloatStorage, DoubleStorage {

    /** Element {@code i}, widened to double. */
    double get(int i);

    /** Stores {@code value} at {@code i}, rounded to the element type. */
    void set(int i, double value);

    int size();

    DType dtype();

    /** A new, independent copy of the elements. */
    Storage copy();

    /** A zero-filled buffer of {@code size} elements of the given type, from the thread's active {@link Workspace} if any. */
    static Storage allocate(DType dtype, int size) {
        return allocate(dtype, size, true);
    }

    /**
     * A buffer of {@code size} elements whose contents are unspecified (old values of a
     * recycled {@link Workspace} buffer, zeros otherwise), for kernels that write every element.
     */
    static Storage allocateForOverwrite(DType dtype, int size) {
        return allocate(dtype, size, false);
    }

    private static Storage allocate(DType dtype, int size, boolean zeroed) {
        Storage reused = Workspace.take(dtype, size, zeroed);
        if (reused != null) {
            return reused;
        }
        return switch (dtype) {
            case FLOAT32 -> new FloatStorage(new float[size]);
            case FLOAT64 -> new DoubleStorage(new double[size]);
        };
    }
}
