package dev.descent.optim;

import dev.descent.tensor.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The L-BFGS direction (optax {@code scale_by_lbfgs}): {@code u ≈ H⁻¹·g} by the two-loop recursion
 * over the last {@code m} pairs {@code s = w_k − w_prev}, {@code y = g_k − g_prev},
 * {@code ρ = 1/<y, s>} (0 when {@code <y, s> = 0}; no curvature check). Inner products are global
 * over all tensors. With {@code k} the update count, the new pair goes to slot
 * {@code (k − 1) mod m} (floor modulo) and the slots are visited from the oldest,
 * {@code k mod m}:
 * <pre>
 * γ = min(1, 1/‖g‖) when k = 0, else &lt;s,y&gt;/&lt;y,y&gt; (1 if &lt;y,y&gt; = 0)      (1 without scaleInitPrecond)
 * q = g ; for i = m−1 … 0: α_i = ρ_i·&lt;S_i, q&gt; ; q ← q − α_i·Y_i
 * r = γ·q ; for i = 0 … m−1: β = ρ_i·&lt;Y_i, r&gt; ; r ← r + (α_i − β)·S_i
 * u = r
 * </pre>
 * Empty slots (zeros, ρ = 0) are no-ops. When the context carries an {@link ObjectiveFunction},
 * {@code g_prev} is that objective's gradient at {@code w_prev}: for a fixed function it is the
 * previous gradient again (optax's rule), and when training on mini-batches it makes both ends of
 * {@code y} see the same batch, which stochastic L-BFGS needs (pairs from two different batches
 * are mostly noise). Made by {@link Transforms#scaleByLbfgs}.
 */
public final class ScaleByLbfgs implements GradientTransformation {
    private final int memorySize;
    private final boolean scaleInitPrecond;

    /** One memory slot: the parameter difference s, the gradient difference y and ρ = 1/&lt;y, s&gt;. */
    public record Pair(Params s, Params y, double rho) implements OptState {
    }

    /** The update count, the previous parameters and incoming updates, and the memory slots. */
    public record LbfgsState(long count, Params previousParams, Params previousUpdates, List<OptState> memory)
            implements OptState {
        public LbfgsState {
            memory = List.copyOf(memory);
        }
    }

    ScaleByLbfgs(int memorySize, boolean scaleInitPrecond) {
        if (memorySize < 1) {
            throw new IllegalArgumentException("L-BFGS needs a memory of at least 1 pair, got " + memorySize);
        }
        this.memorySize = memorySize;
        this.scaleInitPrecond = scaleInitPrecond;
    }

    @Override
    public OptState init(Params params) {
        List<OptState> memory = new ArrayList<>();
        for (int i = 0; i < memorySize; i++) {
            memory.add(new Pair(params.zerosLike(), params.zerosLike(), 0));
        }
        return new LbfgsState(0, params.zerosLike(), params.zerosLike(), memory);
    }

    private static void copyInto(Params target, Params source) {
        for (int k = 0; k < target.size(); k++) {
            target.get(k).copyFromInPlace(source.get(k));
        }
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        LbfgsState st = (LbfgsState) state;
        Elementwise.requireMatching(updates, st.previousParams(), "scaleByLbfgs");
        long k = st.count();
        int newest = (int) Math.floorMod(k - 1, (long) memorySize), oldest = (int) Math.floorMod(k, (long) memorySize);
        List<OptState> memory = new ArrayList<>(st.memory());
        Pair slot = (Pair) memory.get(newest);
        double rho = 0;
        Params previousGradient = st.previousUpdates();
        if (k > 0 && context.valueFunction() instanceof ObjectiveFunction objective) {
            // the gradient at w_prev of this step's objective: on mini-batches both ends of y see the same batch
            previousGradient = objective.gradient(st.previousParams());
        }
        // s = w − w_prev and y = g − g_prev (zeros on the first update), written into the slot being replaced
        for (int t = 0; t < updates.size(); t++) {
            Storage s = slot.s().get(t).storage(), y = slot.y().get(t).storage(), w = params.get(t).storage(),
                    g = updates.get(t).storage(), wPrev = st.previousParams().get(t).storage(),
                    gPrev = previousGradient.get(t).storage();
            for (int i = 0; i < s.size(); i++) {
                s.set(i, k > 0 ? w.get(i) - wPrev.get(i) : 0);
                y.set(i, k > 0 ? g.get(i) - gPrev.get(i) : 0);
            }
        }
        if (k > 0) {
            double sy = Elementwise.dot(slot.y(), slot.s());
            rho = sy == 0 ? 0 : 1 / sy;
        }
        memory.set(newest, new Pair(slot.s(), slot.y(), rho));
        double gamma = 1;
        if (scaleInitPrecond) {
            if (k == 0) {
                gamma = Math.min(1, 1 / Math.sqrt(Elementwise.dot(updates, updates)));
            } else {
                double yy = Elementwise.dot(slot.y(), slot.y());
                gamma = yy > 0 ? Elementwise.dot(slot.s(), slot.y()) / yy : 1;
            }
        }
        copyInto(st.previousParams(), params);
        copyInto(st.previousUpdates(), updates);
        Params r = updates; // q, then r, in place
        double[] alphas = new double[memorySize];
        for (int i = memorySize - 1; i >= 0; i--) {
            Pair p = (Pair) memory.get((oldest + i) % memorySize);
            alphas[i] = p.rho() * Elementwise.dot(p.s(), r);
            Elementwise.axpy(r, -alphas[i], p.y());
        }
        Elementwise.scaleInPlace(r, gamma);
        for (int i = 0; i < memorySize; i++) {
            Pair p = (Pair) memory.get((oldest + i) % memorySize);
            double beta = p.rho() * Elementwise.dot(p.y(), r);
            Elementwise.axpy(r, alphas[i] - beta, p.s());
        }
        return new Update(r, new LbfgsState(k + 1, st.previousParams(), st.previousUpdates(), memory));
    }
}
