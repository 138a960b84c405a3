package dev.descent.tensor;

/** Elements stored as a {@code double[]}; the array is shared, not copied. */
public record DoubleStorage(double[] data) implements Storage {
    @Override
    public double get(int i) {
        return data[i];
    }

    @Override
    public void set(int i, double value) {
        data[i] = value;
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    @Override
    public Storage copy() {
        return new DoubleStorage(data.clone());
    }
}
