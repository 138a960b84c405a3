package dev.descent.tensor;

/** Reductions along one axis. */
public enum ReduceOp {
    /** {@code Σ x}. */
    SUM,
    /** {@code max x}. */
    MAX,
    /** {@code ln Σ e^x}, computed as {@code m + ln Σ e^(x−m)} with {@code m = max x}. */
    LOG_SUM_EXP
}
