package dev.descent.optim;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/**
 * NovoGrad's direction (optax {@code scale_by_novograd}), with one second-moment scalar ν per
 * tensor:
 * <pre>
 * n2 = ‖g‖²  (per tensor)
 * ν ← n2 on the first update, else b2·ν + (1−b2)·n2
 * a = g/(√(ν + epsRoot) + eps) + λ·p
 * m ← a on the first update, else b1·m + a          (no (1−b1) factor)
 * u = m
 * </pre>
 * Made by {@link Transforms#scaleByNovograd}.
 */
public final class ScaleByNovograd implements GradientTransformation {
    private final double b1;
    private final double b2;
    private final double eps;
    private final double epsRoot;
    private final double weightDecay;

    /** The update count, the first moments m and the per-tensor second moments ν (one element each). */
    public record NovogradState(long count, Params mu, Params nu) implements OptState {
    }

    ScaleByNovograd(double b1, double b2, double eps, double epsRoot, double weightDecay) {
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.weightDecay = weightDecay;
    }

    @Override
    public OptState init(Params params) {
        return new NovogradState(0, params.zerosLike(), params.map(t -> Tensor.zeros(DType.FLOAT64, Shape.of(1))));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        NovogradState s = (NovogradState) state;
        Elementwise.requireMatching(updates, s.mu(), "scaleByNovograd");
        boolean first = s.count() == 0;
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), p = params.get(k).storage(), m = s.mu().get(k).storage(),
                    nu = s.nu().get(k).storage();
            double n2 = 0;
            for (int i = 0; i < u.size(); i++) {
                n2 += u.get(i) * u.get(i);
            }
            nu.set(0, first ? n2 : b2 * nu.get(0) + (1 - b2) * n2);
            double denominator = Math.sqrt(nu.get(0) + epsRoot) + eps;
            for (int i = 0; i < u.size(); i++) {
                double a = u.get(i) / denominator + weightDecay * p.get(i);
                m.set(i, first ? a : b1 * m.get(i) + a);
                u.set(i, m.get(i));
            }
        }
        return new Update(updates, new NovogradState(s.count() + 1, s.mu(), s.nu()));
    }
}
