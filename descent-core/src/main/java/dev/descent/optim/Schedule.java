package dev.descent.optim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A learning-rate (or other hyperparameter) schedule: a function of the owning transform's
 * step counter {@code n}, which is 0 on the first update. Formulas follow optax's
 * {@code optax.schedules}; {@code clip(x, lo, hi)} clamps.
 */
@FunctionalInterface
public interface Schedule {

    /** The value at step {@code count} (0 on the first update). */
    double at(long count);

    /** {@code v} at every step. */
    static Schedule constant(double value) {
        return n -> value;
    }

    /**
     * Polynomial decay: {@code k = clip(n − begin, 0, steps)};
     * {@code (init − end)·(1 − k/steps)^power + end}. {@code steps ≤ 0} gives the constant
     * {@code init}; a negative {@code begin} counts as 0.
     */
    static Schedule polynomial(double init, double end, double power, long steps, long begin) {
        if (steps <= 0) {
            return constant(init);
        }
        long start = Math.max(0, begin);
        return n -> {
            double k = Math.min(Math.max(n - start, 0), steps);
            return (init - end) * Math.pow(1 - k / steps, power) + end;
        };
    }

    /** Linear ramp from {@code init} to {@code end} over {@code steps} steps after {@code begin}: {@link #polynomial} with power 1. */
    static Schedule linear(double init, double end, long steps, long begin) {
        return polynomial(init, end, 1, steps, begin);
    }

    /** {@link #linear(double, double, long, long)} starting at step 0. */
    static Schedule linear(double init, double end, long steps) {
        return linear(init, end, steps, 0);
    }

    /**
     * Cosine decay: {@code k = min(n, decaySteps)}; {@code cd = ½(1 + cos(π·k/decaySteps))};
     * {@code init·((1 − alpha)·cd^exponent + alpha)}.
     */
    static Schedule cosineDecay(double init, long decaySteps, double alpha, double exponent) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("cosine decay needs decaySteps > 0, got " + decaySteps);
        }
        return n -> {
            double k = Math.min(n, decaySteps);
            double cd = 0.5 * (1 + Math.cos(Math.PI * k / decaySteps));
            return init * ((1 - alpha) * Math.pow(cd, exponent) + alpha);
        };
    }

    /**
     * Exponential decay: {@code k = n − begin}; {@code init} while {@code k ≤ 0}, else
     * {@code init·rate^(k/steps)} (exponent floored when {@code staircase}); a finite
     * {@code endValue} bounds the result ({@code max} when {@code rate < 1}, {@code min} when
     * {@code rate > 1}); NaN means no bound. {@code steps ≤ 0} or {@code rate == 0} gives the
     * constant {@code init}.
     */
    static Schedule exponentialDecay(double init, long steps, double rate, long begin, boolean staircase,
                                     double endValue) {
        if (steps <= 0 || rate == 0) {
            return constant(init);
        }
        return n -> {
            long k = n - begin;
            if (k <= 0) {
                return init;
            }
            double e = (double) k / steps;
            double v = init * Math.pow(rate, staircase ? Math.floor(e) : e);
            if (Double.isNaN(endValue)) {
                return v;
            }
            return rate < 1 ? Math.max(v, endValue) : Math.min(v, endValue);
        };
    }

    /** {@link #exponentialDecay(double, long, double, long, boolean, double)} from step 0, smooth, unbounded. */
    static Schedule exponentialDecay(double init, long steps, double rate) {
        return exponentialDecay(init, steps, rate, 0, false, Double.NaN);
    }

    /** {@code init ×} the product of the scales whose boundary is {@code ≤ n}. */
    static Schedule piecewiseConstant(double init, Map<Long, Double> scalesByBoundary) {
        TreeMap<Long, Double> sorted = new TreeMap<>(scalesByBoundary);
        sorted.values().forEach(s -> {
            if (s < 0) {
                throw new IllegalArgumentException("piecewise-constant scales must be ≥ 0, got " + s);
            }
        });
        return n -> {
            double v = init;
            for (double s : sorted.headMap(n, true).values()) {
                v *= s;
            }
            return v;
        };
    }

    /**
     * {@code schedules[0](n)} for {@code n < boundaries[0]}, then
     * {@code schedules[i](n − boundaries[i−1])} from boundary {@code i−1} on.
     */
    static Schedule join(List<Schedule> schedules, long... boundaries) {
        if (schedules.size() != boundaries.length + 1) {
            throw new IllegalArgumentException(schedules.size() + " schedules need " + (schedules.size() - 1)
                    + " boundaries, got " + boundaries.length);
        }
        List<Schedule> parts = List.copyOf(schedules);
        long[] b = boundaries.clone();
        return n -> {
            int i = 0;
            while (i < b.length && n >= b[i]) {
                i++;
            }
            return parts.get(i).at(i == 0 ? n : n - b[i - 1]);
        };
    }

    /**
     * Linear warmup from {@code init} to {@code peak} over {@code warmupSteps}, then
     * {@link #cosineDecay} from {@code peak} to {@code end} over {@code decaySteps − warmupSteps}
     * ({@code decaySteps} includes the warmup; {@code alpha = end/peak}, 0 when {@code peak == 0}).
     */
    static Schedule warmupCosineDecay(double init, double peak, long warmupSteps, long decaySteps, double end,
                                      double exponent) {
        double alpha = peak == 0 ? 0 : end / peak;
        return join(List.of(linear(init, peak, warmupSteps),
                cosineDecay(peak, decaySteps - warmupSteps, alpha, exponent)), warmupSteps);
    }

    /** Linear warmup from {@code init} to {@code peak} over {@code warmupSteps}, then {@code peak}. */
    static Schedule warmupConstant(double init, double peak, long warmupSteps) {
        return linear(init, peak, warmupSteps);
    }

    /**
     * Linear warmup from {@code init} to {@code peak} over {@code warmupSteps}, then
     * {@link #exponentialDecay(double, long, double, long, boolean, double) exponentialDecay} from
     * {@code peak}, counted from the end of the warmup.
     */
    static Schedule warmupExponentialDecay(double init, double peak, long warmupSteps, long transitionSteps,
                                           double decayRate, long transitionBegin, boolean staircase,
                                           double endValue) {
        return join(List.of(linear(init, peak, warmupSteps),
                exponentialDecay(peak, transitionSteps, decayRate, transitionBegin, staircase, endValue)), warmupSteps);
    }

    /** {@link #warmupExponentialDecay(double, double, long, long, double, long, boolean, double)} from the end of the warmup, smooth, unbounded. */
    static Schedule warmupExponentialDecay(double init, double peak, long warmupSteps, long transitionSteps,
                                           double decayRate) {
        return warmupExponentialDecay(init, peak, warmupSteps, transitionSteps, decayRate, 0, false, Double.NaN);
    }

    /** One cycle of {@link #sgdr}: the arguments of {@link #warmupCosineDecay}. */
    record CosineCycle(double init, double peak, long warmupSteps, long decaySteps, double end, double exponent) {
    }

    /**
     * SGDR (warm restarts): the cycles' {@link #warmupCosineDecay} schedules one after the other,
     * each starting at the sum of the previous cycles' {@code decaySteps}.
     */
    static Schedule sgdr(List<CosineCycle> cycles) {
        List<Schedule> parts = new java.util.ArrayList<>();
        long[] boundaries = new long[cycles.size() - 1];
        long sum = 0;
        for (int i = 0; i < cycles.size(); i++) {
            CosineCycle c = cycles.get(i);
            parts.add(warmupCosineDecay(c.init(), c.peak(), c.warmupSteps(), c.decaySteps(), c.end(), c.exponent()));
            sum += c.decaySteps();
            if (i < boundaries.length) {
                boundaries[i] = sum;
            }
        }
        return join(parts, boundaries);
    }

    /**
     * Interpolation between knots: {@code v0 = init} at {@code b0 = 0}, {@code v_i = v_{i−1}·scale_i}
     * at the sorted boundaries {@code b_i}; inside {@code [b_i, b_{i+1})} with
     * {@code pct = (n − b_i)/max(b_{i+1} − b_i, 1)}: {@code "linear"} gives
     * {@code v_i + (v_{i+1} − v_i)·pct}, {@code "cosine"} gives
     * {@code v_{i+1} + (v_i − v_{i+1})·(cos(π·pct) + 1)/2}; from the last boundary on, {@code v_last}.
     */
    static Schedule piecewiseInterpolate(String type, double init, Map<Long, Double> scalesByBoundary) {
        boolean cosine = switch (type) {
            case "linear" -> false;
            case "cosine" -> true;
            default -> throw new IllegalArgumentException("interpolation must be 'linear' or 'cosine', got '" + type + "'");
        };
        TreeMap<Long, Double> sorted = new TreeMap<>(scalesByBoundary);
        int n = sorted.size();
        long[] b = new long[n + 1];
        double[] v = new double[n + 1];
        v[0] = init;
        int i = 1;
        for (Map.Entry<Long, Double> e : sorted.entrySet()) {
            b[i] = e.getKey();
            v[i] = v[i - 1] * e.getValue();
            i++;
        }
        return count -> {
            if (count >= b[n]) {
                return v[n];
            }
            for (int j = 0; j < n; j++) {
                if (b[j] <= count && count < b[j + 1]) {
                    double pct = (double) (count - b[j]) / Math.max(b[j + 1] - b[j], 1);
                    return cosine ? v[j + 1] + (v[j] - v[j + 1]) * (Math.cos(Math.PI * pct) + 1) / 2
                            : v[j] + (v[j + 1] - v[j]) * pct;
                }
            }
            return 0;
        };
    }

    /**
     * One-cycle, linear: from {@code peak/div} up to {@code peak} at {@code ⌊pctStart·T⌋}, down to
     * {@code peak/div} at {@code ⌊pctFinal·T⌋}, down to {@code peak/(div·finalDiv)} at {@code T}.
     */
    static Schedule linearOnecycle(long transitionSteps, double peak, double pctStart, double pctFinal,
                                   double divFactor, double finalDivFactor) {
        return piecewiseInterpolate("linear", peak / divFactor, Map.of(
                (long) (pctStart * transitionSteps), divFactor,
                (long) (pctFinal * transitionSteps), 1 / divFactor,
                transitionSteps, 1 / finalDivFactor));
    }

    /** {@link #linearOnecycle(long, double, double, double, double, double)} with optax's defaults 0.3, 0.85, 25, 1e4. */
    static Schedule linearOnecycle(long transitionSteps, double peak) {
        return linearOnecycle(transitionSteps, peak, 0.3, 0.85, 25, 1e4);
    }

    /** One-cycle, cosine: {@code peak/div} → {@code peak} at {@code ⌊pctStart·T⌋} → {@code peak/(div·finalDiv)} at {@code T}. */
    static Schedule cosineOnecycle(long transitionSteps, double peak, double pctStart, double divFactor,
                                   double finalDivFactor) {
        return piecewiseInterpolate("cosine", peak / divFactor, Map.of(
                (long) (pctStart * transitionSteps), divFactor,
                transitionSteps, 1 / (divFactor * finalDivFactor)));
    }

    /** {@link #cosineOnecycle(long, double, double, double, double)} with optax's defaults 0.3, 25, 1e4. */
    static Schedule cosineOnecycle(long transitionSteps, double peak) {
        return cosineOnecycle(transitionSteps, peak, 0.3, 25, 1e4);
    }
}
