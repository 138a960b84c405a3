package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout with rate {@code p}: in training {@code y = x·m / (1 − p)} with
 * {@code m_i ~ Bernoulli(1 − p)} drawn afresh on every call, so the expected output equals
 * the input; in evaluation mode (and for {@code p = 0}) {@code y = x}. The mask comes from
 * this layer's own {@link SplittableRandom}, re-seeded by {@link #reseed(long)}: each random
 * long gives two elements their 32-bit uniforms {@code u}, and {@code m_i = [u_i ≥ p·2³²]}.
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
        Storage m = mask.storage();
        double scale = 1 / (1 - rate);
        // Two 32-bit uniforms u per random long; an element is kept when u ≥ rate·2³².
        long threshold = (long) Math.ceil(rate * 0x1p32);
        int n = m.size();
        for (int i = 0; i < n; i += 2) {
            long bits = random.nextLong();
            if (bits >>> 32 >= threshold) {
                m.set(i, scale);
            }
            if (i + 1 < n && (bits & 0xFFFFFFFFL) >= threshold) {
                m.set(i + 1, scale);
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
