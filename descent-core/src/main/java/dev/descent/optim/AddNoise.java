package dev.descent.optim;

import dev.descent.tensor.Storage;

import java.util.SplittableRandom;

/**
 * Annealed Gaussian gradient noise (optax {@code add_noise}, building block B11; Neelakantan
 * et al. 2015):
 * <pre>
 * σ_t = √(eta / t^gamma)          t = c + 1
 * u = g + σ_t·ξ,                  ξ ~ N(0, 1) i.i.d. per element, fresh every step
 * </pre>
 * The noise comes from a {@link SplittableRandom}: step {@code c} draws from
 * {@code new SplittableRandom(key)} and stores that generator's next {@code long} as the key
 * for step {@code c + 1}, so the state (count, key) resumes bit for bit from a checkpoint.
 * The initial key is the seed. JAX's random numbers cannot be reproduced, so runs match
 * optax only in distribution. Made by {@link Transforms#addNoise}.
 */
public final class AddNoise implements GradientTransformation {
    private final double eta;
    private final double gamma;
    private final long seed;

    /** The update count and the seed of the next step's generator. */
    public record NoiseState(long count, long key) implements OptState {
    }

    AddNoise(double eta, double gamma, long seed) {
        this.eta = eta;
        this.gamma = gamma;
        this.seed = seed;
    }

    @Override
    public OptState init(Params params) {
        return new NoiseState(0, seed);
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        NoiseState s = (NoiseState) state;
        long t = s.count() + 1;
        double sigma = Math.sqrt(eta / Math.pow(t, gamma));
        SplittableRandom rng = new SplittableRandom(s.key());
        long nextKey = rng.nextLong();
        for (int k = 0; k < updates.size(); k++) {
            Storage u = updates.get(k).storage();
            for (int i = 0; i < u.size(); i++) {
                u.set(i, u.get(i) + sigma * rng.nextGaussian());
            }
        }
        return new Update(updates, new NoiseState(t, nextKey));
    }
}
