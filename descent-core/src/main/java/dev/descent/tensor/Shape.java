package dev.descent.tensor;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor. Immutable. Negative axis arguments count from the
 * end, as in NumPy ({@code -1} is the last axis).
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            n = Math.min(n * d, Integer.MAX_VALUE + 1L); // kept below 2^31 + 1, so the product never overflows a long
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31 elements");
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape with the given dimensions; no dimensions is a scalar. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The scalar shape {@code []}, holding one element. */
    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    public int rank() {
        return dims.length;
    }

    /** Number of elements: the product of the dimensions. */
    public int size() {
        return size;
    }

    /** Dimension of {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[axis(axis)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Normalizes a possibly negative axis to {@code 0..rank-1}, or throws. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        }
        return a;
    }

    /** Row-major strides: {@code strides[i]} is the distance between neighbours along axis i. */
    public int[] strides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /** Product of the dimensions before {@code axis}. */
    public int outer(int axis) {
        int a = axis(axis), n = 1;
        for (int i = 0; i < a; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public int inner(int axis) {
        int a = axis(axis), n = 1;
        for (int i = a + 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with dimension {@code axis} replaced by {@code value}. */
    public Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return new Shape(d);
    }

    /** This shape without dimension {@code axis}. */
    public Shape without(int axis) {
        int a = axis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != a) {
                d[j++] = dims[i];
            }
        }
        return new Shape(d);
    }

    /**
     * The NumPy broadcast of two shapes: dimensions are aligned from the right, and each
     * pair must be equal or contain a 1.
     *
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Strides for reading a tensor of this shape as if it had the (broadcast) shape
     * {@code target}: broadcast dimensions get stride 0.
     */
    public int[] broadcastStrides(Shape target) {
        int[] own = strides();
        int[] out = new int[target.rank()];
        int offset = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            out[i + offset] = dims[i] == 1 ? 0 : own[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
