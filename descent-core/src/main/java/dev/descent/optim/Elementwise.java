package dev.descent.optim;

import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

/** Scalar helpers shared by the transforms; all arithmetic is in double. */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code m_i ← (1 − decay)·x + decay·m_i}; returns the stored {@code m_i}. */
    static double ema(Storage m, int i, double decay, double x) {
        m.set(i, (1 - decay) * x + decay * m.get(i));
        return m.get(i);
    }

    /** The bias-correction divisor {@code 1 − decay^t}. */
    static double debias(double decay, long t) {
        return 1 - Math.pow(decay, t);
    }

    /** {@code u ← α·u} for every element of every tensor; returns {@code updates}. */
    static Params scaleInPlace(Params updates, double alpha) {
        for (Tensor t : updates.tensors()) {
            t.scaleInPlace(alpha);
        }
        return updates;
    }

    /** The L2 norm over all elements of all tensors: {@code √<u, u>}. */
    static double globalNorm(Params updates) {
        return Math.sqrt(dot(updates, updates));
    }

    /** {@code <a, b>} over all tensors. */
    static double dot(Params a, Params b) {
        double sum = 0;
        for (int k = 0; k < a.size(); k++) {
            Storage x = a.get(k).storage(), y = b.get(k).storage();
            for (int i = 0; i < x.size(); i++) {
                sum += x.get(i) * y.get(i);
            }
        }
        return sum;
    }

    /** {@code a ← a + α·b} over all tensors. */
    static void axpy(Params a, double alpha, Params b) {
        for (int k = 0; k < a.size(); k++) {
            Storage x = a.get(k).storage(), y = b.get(k).storage();
            for (int i = 0; i < x.size(); i++) {
                x.set(i, x.get(i) + alpha * y.get(i));
            }
        }
    }

    /** Checks that a state's tensors match the updates, so a wrong checkpoint fails clearly. */
    static void requireMatching(Params updates, Params state, String transform) {
        if (updates.size() != state.size()) {
            throw new IllegalArgumentException(transform + ": state holds " + state.size() + " tensors, the updates "
                    + updates.size() + "; was the state made for another model?");
        }
        for (int i = 0; i < updates.size(); i++) {
            if (updates.get(i).size() != state.get(i).size()) {
                throw new IllegalArgumentException(transform + ": state tensor " + state.name(i) + " has "
                        + state.get(i).size() + " elements, the update " + updates.get(i).size());
            }
        }
    }
}
