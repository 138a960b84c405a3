package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout with rate {@code p}: in training {@code y = x·m / (1 − p)} with
 * {@code m_i ~ Bernoulli(1 − p)} drawn afresh on every call, so the expected output equals
 * the input; in evaluation mode (and for {@code p = 0}) {@code y = x}. The mask comes from
 * this layer's own {@link SplittableRandom}, re-seeded by {@link #reseed(long)}: each random
 * long gives two elements their 32-bit uniforms {@code u}, and {@code m_i = [u_i ≥ p·2³²]}.
 * After {@link #reseed(long, int[], int)} the next pass draws the mask of the whole batch and
 * keeps the rows of its inputs, so a batch computed in shares gets one machine's masks.
 */
public final class Dropout extends Module {
    private final double rate;
    private SplittableRandom random;
    /** The rows of the batch the next inputs are (null: the whole batch), and that batch's size. */
    private int[] rows;
    private int batchRows;

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
        int[] dims = x.dims();
        if (rows != null) {
            dims[0] = batchRows;
        }
        Tensor mask = Tensor.zeros(x.dtype(), Shape.of(dims));
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
        return x.mul(rows == null ? mask : mask.indexSelect(0, rows));
    }

    @Override
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
        rows = null;
    }

    @Override
    public void reseed(long seed, int[] rows, int batchRows) {
        random = new SplittableRandom(seed);
        this.rows = rows.clone();
        this.batchRows = batchRows;
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
