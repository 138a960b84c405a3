package dev.descent.tensor;

/** Elements stored as a {@code float[]}; the array is shared, not copied. */
public record FloatStorage(float[] data) implements Storage {
    @Override
    public double get(int i) {
        return data[i];
    }

    @Override
    public void set(int i, double value) {
        data[i] = (float) value;
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public Storage copy() {
        return new FloatStorage(data.clone());
    }
}
