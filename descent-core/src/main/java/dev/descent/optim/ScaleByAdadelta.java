package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Adadelta's scaling (optax {@code scale_by_adadelta}; Zeiler 2012):
 * <pre>
 * Eg ← rho·Eg + (1 − rho)·g²                               Eg₀ = Ex₀ = 0
 * δ  = √(Ex + eps) / √(Eg + eps) · g                       (Ex of the previous step)
 * Ex ← rho·Ex + (1 − rho)·δ²
 * u = δ
 * </pre>
 * Made by {@link Transforms#scaleByAdadelta}.
 */
public final class ScaleByAdadelta implements GradientTransformation {
    private final double rho;
    private final double eps;

    /** The running means of squared gradients (Eg) and of squared steps (Ex). */
    public record AdadeltaState(Params eG, Params eX) implements OptState {
    }

    ScaleByAdadelta(double rho, double eps) {
        this.rho = rho;
        this.eps = eps;
    }

    @Override
    public OptState init(Params params) {
        return new AdadeltaState(params.zerosLike(), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        AdadeltaState s = (AdadeltaState) state;
        Elementwise.requireMatching(updates, s.eG(), "scaleByAdadelta");
        Elementwise.requireMatching(updates, s.eX(), "scaleByAdadelta");
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), eg = s.eG().get(k).storage(), ex = s.eX().get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double egNew = Elementwise.ema(eg, i, rho, g * g);
                double delta = Math.sqrt(ex.get(i) + eps) / Math.sqrt(egNew + eps) * g;
                Elementwise.ema(ex, i, rho, delta * delta);
                u.set(i, delta);
            }
        }
        return new Update(updates, state);
    }
}
