package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Softmax {@code y_j = e^(x_j) / Σ_k e^(x_k)} along an axis (the last by default), or with
 * {@link #log} its logarithm {@code x_j − ln Σ_k e^(x_k)}, computed stably. No parameters.
 */
public final class Softmax extends Module {
    private final int axis;
    private final boolean log;

    private Softmax(int axis, boolean log) {
        this.axis = axis;
        this.log = log;
    }

    /** Softmax along the last axis. */
    public Softmax() {
        this(-1, false);
    }

    /** Softmax along {@code axis} (negative counts from the end). */
    public static Softmax along(int axis) {
        return new Softmax(axis, false);
    }

    /** Log-softmax along {@code axis} (negative counts from the end). */
    public static Softmax log(int axis) {
        return new Softmax(axis, true);
    }

    /** The axis the softmax runs along (negative counts from the end). */
    public int axis() {
        return axis;
    }

    /** Whether this is the log-softmax. */
    public boolean isLog() {
        return log;
    }

    @Override
    public Tensor forward(Tensor x) {
        return log ? x.logSoftmax(axis) : x.softmax(axis);
    }

    @Override
    public String toString() {
        return (log ? "LogSoftmax(" : "Softmax(") + axis + ")";
    }
}
