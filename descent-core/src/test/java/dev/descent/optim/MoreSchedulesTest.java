package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The warmup, restart and one-cycle schedules against optax's values (optimizers.md §6, float64). */
class MoreSchedulesTest {

    private static void check(Schedule s, double... countValuePairs) {
        for (int i = 0; i < countValuePairs.length; i += 2) {
            long n = (long) countValuePairs[i];
            assertEquals(countValuePairs[i + 1], s.at(n), 1e-9 * Math.max(1, Math.abs(countValuePairs[i + 1])),
                    "at " + n);
        }
    }

    @Test
    void warmupConstant() {
        check(Schedule.warmupConstant(0, 1, 5), 0, 0, 1, 0.2, 4, 0.8, 5, 1, 100, 1);
    }

    @Test
    void warmupExponentialDecay() {
        check(Schedule.warmupExponentialDecay(0, 1, 5, 10, 0.5), 3, 0.6, 5, 1, 10, 0.7071067812, 15, 0.5, 25, 0.25);
    }

    @Test
    void sgdrRestartsEveryCycle() {
        Schedule.CosineCycle cycle = new Schedule.CosineCycle(0, 1, 2, 10, 0, 1);
        check(Schedule.sgdr(List.of(cycle, cycle)), 1, 0.5, 2, 1, 6, 0.5, 9, 0.03806023374, 10, 0, 11, 0.5, 12, 1,
                20, 0);
    }

    @Test
    void piecewiseInterpolate() {
        Map<Long, Double> knots = Map.of(10L, 2.0, 20L, 0.5);
        check(Schedule.piecewiseInterpolate("linear", 1, knots), 5, 1.5, 10, 2, 15, 1.5, 20, 1, 30, 1);
        check(Schedule.piecewiseInterpolate("cosine", 1, knots), 5, 1.5, 10, 2, 15, 1.5, 20, 1, 30, 1);
        check(Schedule.piecewiseInterpolate("cosine", 1, knots), 0, 1);
        assertThrows(IllegalArgumentException.class, () -> Schedule.piecewiseInterpolate("cubic", 1, knots));
    }

    @Test
    void oneCycle() {
        check(Schedule.linearOnecycle(100, 1.0), 0, 0.04, 15, 0.52, 30, 1, 50, 0.6509090909, 85, 0.04, 90, 0.026668,
                100, 4e-06);
        check(Schedule.cosineOnecycle(100, 1.0), 0, 0.04, 15, 0.52, 30, 1, 65, 0.500002, 100, 4e-06);
    }
}
