package dev.descent.minimize;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectiveTest {

    private static void check(String name, double[] x, double value, double... gradient) {
        Objective.Evaluation e = Objective.builtin(name).evaluate(x);
        assertEquals(value, e.value(), 1e-9 * Math.max(1, Math.abs(value)), name + " value");
        assertArrayEquals(gradient, e.gradient(), 1e-9 * Math.max(1, Math.abs(value)), name + " gradient");
    }

    @Test
    void canyon() {
        // f = (x² + 25y²)/2, ∇f = (x, 25y)
        check("canyon", new double[] {0, 0}, 0, 0, 0);
        check("canyon", new double[] {2, 1}, 0.5 * (4 + 25), 2, 25);
        check("canyon", new double[] {-8, 1.5}, 0.5 * (64 + 25 * 2.25), -8, 37.5);
    }

    @Test
    void rosenbrock() {
        check("rosenbrock", new double[] {1, 1}, 0, 0, 0);
        // at (0,0): f = 1, ∇f = (−2(1−x) − 400x(y−x²), 200(y−x²)) = (−2, 0)
        check("rosenbrock", new double[] {0, 0}, 1, -2, 0);
        // at (−1.2, 1): f = 4.84 + 100·0.44² = 24.2; ∂x = −2·2.2 − 400·(−1.2)·(−0.44) = −215.6; ∂y = 200·(−0.44) = −88
        check("rosenbrock", new double[] {-1.2, 1}, 24.2, -215.6, -88);
    }

    @Test
    void booth() {
        check("booth", new double[] {1, 3}, 0, 0, 0);
        // at (0,0): f = 49 + 25 = 74; ∂x = 2(−7) + 4(−5) = −34; ∂y = 4(−7) + 2(−5) = −38
        check("booth", new double[] {0, 0}, 74, -34, -38);
    }

    @Test
    void beale() {
        check("beale", new double[] {3, 0.5}, 0, 0, 0);
        // at (0,0): f = 1.5² + 2.25² + 2.625² = 14.203125; ∂x = 2·1.5·(−1) + 2·2.25·(−1) + 2·2.625·(−1) = −12.75; ∂y = 0
        check("beale", new double[] {0, 0}, 14.203125, -12.75, 0);
    }

    @Test
    void himmelblauHasFourMinima() {
        Objective h = Objective.builtin("himmelblau");
        assertEquals(4, h.minima().size());
        for (double[] m : h.minima()) {
            Objective.Evaluation e = h.evaluate(m);
            assertEquals(0, e.value(), 1e-9);
            assertTrue(e.gradientNorm() < 1e-4, "gradient at a minimum " + e.gradientNorm());
        }
        check("himmelblau", new double[] {3, 2}, 0, 0, 0);
        // at (0,0): f = 121 + 49 = 170; ∂x = 4x(x²+y−11) + 2(x+y²−7) = −14; ∂y = 2(x²+y−11) + 4y(x+y²−7) = −22
        check("himmelblau", new double[] {0, 0}, 170, -14, -22);
    }

    @Test
    void everyBuiltinIsZeroAtItsMinimaAndHasAStart() {
        for (String name : Objective.builtins()) {
            Objective o = Objective.builtin(name);
            assertEquals(2, o.dimension());
            assertEquals(2, o.start().length);
            for (double[] m : o.minima()) {
                assertEquals(0, o.value(m), 1e-9, name);
            }
        }
    }

    @Test
    void namesFormulasAndErrors() {
        assertEquals("rosenbrock", Objective.of(" rosenbrock ").name());
        assertEquals(3, Objective.of("x0^2 + x2").dimension());
        assertTrue(assertThrows(DescentException.class, () -> Objective.of("rosenbrok")).getMessage()
                .startsWith("unknown function 'rosenbrok'; choose one of: canyon, rosenbrock"));
        assertTrue(assertThrows(DescentException.class, () -> Objective.of("3 + 4")).getMessage().contains("no variable"));
        DescentException arity = assertThrows(DescentException.class, () -> Objective.builtin("booth").evaluate(new double[] {1}));
        assertEquals("booth is a function of 2 variables, but the start point has 1 coordinate; give 2 comma-separated numbers",
                arity.getMessage());
    }

    @Test
    void batchedValuesMatchPointValues() {
        Objective r = Objective.builtin("rosenbrock");
        double[][] coords = {{-1, 0, 0.5, 1}, {2, 0, 0.25, 1}};
        double[] v = r.values(coords);
        for (int k = 0; k < 4; k++) {
            assertEquals(r.value(new double[] {coords[0][k], coords[1][k]}), v[k], 1e-12);
        }
        double[] s = Objective.of("sin(x) + y").values(coords);
        assertEquals(Math.sin(0.5) + 0.25, s[2], 1e-15);
    }
}
