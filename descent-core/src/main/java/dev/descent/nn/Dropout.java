package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout with rate {@code p}: in training {@code y = x·m / (1 − p)} with
 * {@code m_i ~ Bernoulli(1 − p)} drawn afresh on every call, so the expected output equals
 * the input; in evaluation mode (and for {@code p = 0}) {@code y = x}. The mask comes from
 * this layer's own {@link SplittableRandom}, re-seeded by {@link #reseed(long)}.
 */
public final class Dropout extends Module {
    private final double rate;
    private SplittableRandom random;

    /** Dropout with rate {@code rate}, {@code 0 ≤ rate < 1}, masks seeded by {@code seed}. */
    public Dropout(double rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new DescentException("dropout rate " + rate + " is out of range: use a rate in [0, 1), like 0.2");
        }
        this.rate = rate;
        this.random = new SplittableRandom(seed);
    }

    /** Dropout with rate {@code rate} and an unseeded mask source. */
    public Dropout(double rate) {
        this(rate, new SplittableRandom().nextLong());
    }

    public double rate() {
        return rate;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || rate == 0) {
            return x;
        }
        Tensor mask = Tensor.zeros(x.dtype(), x.shape());
        double scale = 1 / (1 - rate);
        for (int i = 0; i < mask.size(); i++) {
            if (random.nextDouble() >= rate) {
                mask.storage().set(i, scale);
            }
        }
        return x.mul(mask);
    }

    @Override
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
