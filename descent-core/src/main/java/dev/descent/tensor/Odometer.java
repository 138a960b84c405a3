package dev.descent.tensor;

/**
 * Walks the indices of a row-major index space in order (the last axis fastest), keeping two
 * flat offsets, each advancing by its own strides: the loop behind broadcasting and strided
 * copies. A stride of 0 repeats an element along that axis.
 */
final class Odometer {
    private final int[] dims;
    private final int[] aStrides;
    private final int[] bStrides;
    private final int[] index;
    private int a;
    private int b;

    Odometer(int[] dims, int aStart, int[] aStrides, int bStart, int[] bStrides) {
        this.dims = dims;
        this.aStrides = aStrides;
        this.bStrides = bStrides;
        this.index = new int[dims.length];
        this.a = aStart;
        this.b = bStart;
    }

    /** The first offset at the current index. */
    int a() {
        return a;
    }

    /** The second offset at the current index. */
    int b() {
        return b;
    }

    /** Moves to the next index, carrying into earlier axes as a mileage counter does. */
    void next() {
        for (int d = dims.length - 1; d >= 0; d--) {
            index[d]++;
            a += aStrides[d];
            b += bStrides[d];
            if (index[d] < dims[d]) {
                return;
            }
            a -= aStrides[d] * dims[d];
            b -= bStrides[d] * dims[d];
            index[d] = 0;
        }
    }
}
