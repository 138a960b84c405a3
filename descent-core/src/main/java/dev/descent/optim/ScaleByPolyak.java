package dev.descent.optim;

/**
 * Polyak step size (optax {@code scale_by_polyak}), global over all tensors; needs the loss at
 * the current parameters, {@link UpdateContext#value()}:
 * <pre>
 * n2  = Σ ‖g‖²  over all tensors                 (g as it arrives, e.g. already × −scaling)
 * gap = value − fMin       (sps+: max(gap, 0))
 * step = 0 if n2 + eps ≤ 2.220446049250313e-16, else min(gap/(n2 + eps), maxLearningRate)
 * u = step·g
 * </pre>
 * Made by {@link Transforms#scaleByPolyak}.
 */
final class ScaleByPolyak implements GradientTransformation {
    private static final double MACHINE_EPSILON = 2.220446049250313e-16;
    private final double fMin;
    private final double maxLearningRate;
    private final double eps;
    private final boolean plus;

    ScaleByPolyak(double fMin, double maxLearningRate, double eps, boolean plus) {
        this.fMin = fMin;
        this.maxLearningRate = maxLearningRate;
        this.eps = eps;
        this.plus = plus;
    }

    @Override
    public OptState init(Params params) {
        return new OptState.Empty();
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        if (Double.isNaN(context.value())) {
            throw new IllegalArgumentException("polyak step size needs the loss at the current parameters:"
                    + " pass it as UpdateContext.value");
        }
        double norm = Elementwise.globalNorm(updates);
        double n2 = norm * norm;
        double gap = context.value() - fMin;
        if (plus) {
            gap = Math.max(gap, 0);
        }
        double step = n2 + eps <= MACHINE_EPSILON ? 0 : Math.min(gap / (n2 + eps), maxLearningRate);
        return new Update(Elementwise.scaleInPlace(updates, step), state);
    }
}
