package dev.descent.cli.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011, as in hyperopt), one parameter at a
 * time in the order of the space, a conditional one only where it is active. The finished trials
 * where the parameter was active are ranked by score; the best {@code n_l = ⌈γ·n⌉} (γ = {@value #GAMMA})
 * form the good set L, the rest the set G. Each set gives a density:
 * <pre>
 *   numbers (t = ln x for log-uniform, else x; [a, b] the range in t):
 *     p_S(t) = ( U(t; a, b) + Σ_{s∈S} N(t; s, σ_S) ) / (|S| + 1),   σ_S = (b − a)·(|S| + 1)^(−1/5) / 4
 *   choices among k values:
 *     p_S(c) = (count_S(c) + 1) / (|S| + k)
 * </pre>
 * {@value #CANDIDATES} candidates are drawn from p_L (a component chosen uniformly, the Gaussian
 * sample clipped to [a, b], integers rounded) and the one with the highest ratio p_L(x)/p_G(x)
 * is taken, which maximizes the expected improvement. Until {@value #STARTUP} trials have finished,
 * configurations are drawn from the prior (random search).
 */
public final class Tpe {
    /** Share of finished trials in the good set. */
    public static final double GAMMA = 0.25;
    /** Candidates drawn from the good density per parameter. */
    public static final int CANDIDATES = 24;
    /** Trials drawn at random before the estimator is used. */
    public static final int STARTUP = 8;

    /** A finished trial: its configuration and its score (higher is better). */
    public record Observation(Map<String, Object> config, double score) {
    }

    private Tpe() {
    }

    /** The next configuration to try, given the finished trials. */
    public static Map<String, Object> propose(SearchSpace space, List<Observation> finished, RandomGenerator rng) {
        if (finished.size() < STARTUP) {
            return space.sample(rng);
        }
        List<Observation> ranked = new ArrayList<>(finished);
        ranked.sort(Comparator.comparingDouble(Observation::score).reversed());
        Map<String, Object> config = new LinkedHashMap<>();
        for (SearchSpace.Parameter p : space.parameters()) {
            if (!p.activeIn(config)) {
                continue;
            }
            List<Object> values = new ArrayList<>();
            for (Observation o : ranked) {
                if (o.config().containsKey(p.name())) {
                    values.add(o.config().get(p.name()));
                }
            }
            int good = (int) Math.ceil(GAMMA * values.size());
            config.put(p.name(), choose(p.domain(), values.subList(0, good), values.subList(good, values.size()), rng));
        }
        return config;
    }

    /** The candidate with the highest p_L/p_G among those drawn from p_L. */
    static Object choose(SearchSpace.Domain domain, List<Object> good, List<Object> bad, RandomGenerator rng) {
        if (domain instanceof SearchSpace.Fixed f) {
            return f.value();
        }
        Object best = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CANDIDATES; i++) {
            Object candidate = drawFrom(domain, good, rng);
            double ratio = Math.log(density(domain, good, candidate)) - Math.log(density(domain, bad, candidate));
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = candidate;
            }
        }
        return best;
    }

    /** A draw from p_S. */
    static Object drawFrom(SearchSpace.Domain domain, List<Object> set, RandomGenerator rng) {
        int component = rng.nextInt(set.size() + 1);                       // 0: the prior
        return switch (domain) {
            case SearchSpace.Fixed f -> f.value();
            case SearchSpace.Choice c -> component == 0 ? c.values().get(rng.nextInt(c.values().size())) : set.get(component - 1);
            case SearchSpace.Range r -> {
                double a = t(r, r.low()), b = t(r, r.high());
                double x = component == 0 ? a + rng.nextDouble() * (b - a)
                        : clip(t(r, ((Number) set.get(component - 1)).doubleValue()) + sigma(a, b, set.size()) * rng.nextGaussian(), a, b);
                yield r.log() ? Math.exp(x) : x;
            }
            case SearchSpace.IntRange n -> {
                double a = n.low(), b = n.high();
                double x = component == 0 ? a + rng.nextDouble() * (b - a)
                        : clip(((Number) set.get(component - 1)).doubleValue() + sigma(a, b, set.size()) * rng.nextGaussian(), a, b);
                yield Math.round(x);
            }
        };
    }

    /** p_S(x) of the class comment. */
    static double density(SearchSpace.Domain domain, List<Object> set, Object x) {
        return switch (domain) {
            case SearchSpace.Fixed f -> 1;
            case SearchSpace.Choice c -> {
                long count = set.stream().filter(v -> SearchSpace.same(v, x)).count();
                yield (count + 1.0) / (set.size() + c.values().size());
            }
            case SearchSpace.Range r -> numeric(t(r, r.low()), t(r, r.high()),
                    set.stream().map(v -> t(r, ((Number) v).doubleValue())).toList(), t(r, ((Number) x).doubleValue()));
            case SearchSpace.IntRange n -> numeric(n.low(), n.high(),
                    set.stream().map(v -> ((Number) v).doubleValue()).toList(), ((Number) x).doubleValue());
        };
    }

    private static double numeric(double a, double b, List<Double> points, double x) {
        double sum = b > a ? 1 / (b - a) : 1;
        double s = sigma(a, b, points.size());
        for (double p : points) {
            double z = (x - p) / s;
            sum += Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI));
        }
        return sum / (points.size() + 1);
    }

    private static double sigma(double a, double b, int n) {
        return Math.max(1e-12, (b - a) * Math.pow(n + 1, -0.2) / 4);
    }

    private static double t(SearchSpace.Range r, double x) {
        return r.log() ? Math.log(x) : x;
    }

    private static double clip(double x, double a, double b) {
        return Math.max(a, Math.min(b, x));
    }
}
