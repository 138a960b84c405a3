package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference values of optimizers.md §6 (optax, float64). */
class ScheduleTest {

    /** {@code pairs} is count, value, count, value, … */
    private static void check(Schedule s, double... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            assertEquals(pairs[i + 1], s.at((long) pairs[i]), 1e-9, "at " + (long) pairs[i]);
        }
    }

    @Test
    void constant() {
        check(Schedule.constant(0.3), 0, 0.3, 1000, 0.3);
    }

    @Test
    void linearAndPolynomial() {
        check(Schedule.linear(1, 0.1, 10, 5), 0, 1, 5, 1, 6, 0.91, 10, 0.55, 15, 0.1, 20, 0.1);
        check(Schedule.polynomial(1, 0, 2, 10, 0), 0, 1, 1, 0.81, 5, 0.25, 9, 0.01, 10, 0, 11, 0);
    }

    @Test
    void cosineDecay() {
        check(Schedule.cosineDecay(1, 10, 0.1, 1), 0, 1, 1, 0.9779754323, 5, 0.55, 9, 0.1220245677, 10, 0.1,
                20, 0.1);
        check(Schedule.cosineDecay(1, 10, 0, 2), 1, 0.9516553824, 5, 0.25, 9, 0.0005988661493);
    }

    @Test
    void exponentialDecay() {
        check(Schedule.exponentialDecay(1, 10, 0.5), 0, 1, 1, 0.9330329915, 5, 0.7071067812, 10, 0.5,
                25, 0.1767766953);
        check(Schedule.exponentialDecay(1, 10, 0.5, 5, true, 0.3), 5, 1, 14, 1, 15, 0.5, 24, 0.5, 25, 0.3);
    }

    @Test
    void piecewiseConstant() {
        check(Schedule.piecewiseConstant(1, Map.of(3L, 0.5, 6L, 0.1)), 2, 1, 3, 0.5, 5, 0.5, 6, 0.05);
    }

    @Test
    void joinAndWarmupCosineDecay() {
        check(Schedule.join(List.of(Schedule.constant(1), Schedule.linear(1, 0, 10)), 5), 4, 1, 5, 1, 10, 0.5,
                15, 0);
        check(Schedule.warmupCosineDecay(0, 1, 5, 15, 0.1, 1), 1, 0.2, 4, 0.8, 5, 1, 6, 0.9779754323, 10, 0.55,
                15, 0.1, 30, 0.1);
    }
}
