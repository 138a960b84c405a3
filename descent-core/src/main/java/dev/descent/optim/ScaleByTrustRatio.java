package dev.descent.optim;

import dev.descent.tensor.Storage;

/**
 * Per-tensor trust ratio (optax {@code scale_by_trust_ratio}, building block B7), the core of
 * LAMB, LARS and Fromage:
 * <pre>
 * pn = max(‖p‖, minNorm) ;  un = max(‖g‖, minNorm)
 * ratio = tc·pn / (un + eps)      (ratio = 1 when pn == 0 or un == 0)
 * u = ratio·g
 * </pre>
 * Norms are L2 over all elements of one tensor. Made by {@link Transforms#scaleByTrustRatio}.
 */
final class ScaleByTrustRatio implements Stateless {
    private final double minNorm;
    private final double trustCoefficient;
    private final double eps;

    ScaleByTrustRatio(double minNorm, double trustCoefficient, double eps) {
        this.minNorm = minNorm;
        this.trustCoefficient = trustCoefficient;
        this.eps = eps;
    }

    @Override
    public Params apply(Params updates, Params params) {
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage(), p = params.get(k).storage();
            double pn = Math.max(norm(p), minNorm), un = Math.max(norm(u), minNorm);
            double ratio = pn == 0 || un == 0 ? 1 : trustCoefficient * pn / (un + eps);
            for (int i = 0; i < u.size(); i++) {
                u.set(i, ratio * u.get(i));
            }
        }
        return updates;
    }

    /** The L2 norm of one tensor's elements. */
    static double norm(Storage s) {
        double sum = 0;
        for (int i = 0; i < s.size(); i++) {
            sum += s.get(i) * s.get(i);
        }
        return Math.sqrt(sum);
    }
}
