package dev.descent.minimize;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpressionTest {

    private static double eval(String text, double... x) {
        return Expression.parse(text).value(x);
    }

    @Test
    void precedenceAndAssociativity() {
        assertEquals(7, eval("1 + 2*3"));
        assertEquals(9, eval("(1 + 2)*3"));
        assertEquals(-4, eval("-x^2", 2));          // -(x^2)
        assertEquals(512, eval("2^3^2"));            // 2^(3^2)
        assertEquals(0.5, eval("2^-1"));
        assertEquals(1, eval("8/4/2"));              // (8/4)/2
        assertEquals(-1, eval("1 - 3 + 1"));         // left to right
        assertEquals(6, eval("--6"));
        assertEquals(-8, eval("x^3", -2));            // integer power of a negative base
        assertEquals(2.5e-3, eval("2.5e-3"));
        assertEquals(Math.PI, eval("pi"));
    }

    @Test
    void variablesAndFunctions() {
        Expression e = Expression.parse("x0 + 10*x2");
        assertEquals(3, e.variables());
        assertEquals(31, e.value(1, 99, 3));
        assertEquals(2, Expression.parse("x + y").variables());
        assertEquals(5, eval("x*y - x1", 2, 5) + 0, 1e-15); // x1 is y
        assertEquals(Math.sin(0.3) + Math.cos(0.3) + Math.exp(0.3) + Math.log(0.3) + Math.sqrt(0.3)
                + Math.abs(-0.3) + Math.tanh(0.3), eval("sin(x)+cos(x)+exp(x)+log(x)+sqrt(x)+abs(-x)+tanh(x)", 0.3), 1e-15);
        assertEquals(Math.pow(3, 0.7), eval("x^y", 3, 0.7), 1e-14);
    }

    @Test
    void errorsNameThePosition() {
        assertMessage("bad expression at 7: expected ')'", "(x + 1");
        assertMessage("bad expression at 5: unexpected end", "x + ");
        assertMessage("bad expression at 2: unexpected 'x'", "2x");
        assertMessage("bad expression at 3: unknown function 'sinh'", "2*sinh(x)");
        assertMessage("bad expression at 1: unknown variable 'z'", "z + 1");
        assertMessage("bad expression at 5: unexpected '$'", "x + $");
        assertMessage("bad expression at 5: expected '(' after the function sin", "sin x");
        assertMessage("bad expression at 1: malformed number '1.2.3'", "1.2.3");
    }

    private static void assertMessage(String prefix, String text) {
        DescentException e = assertThrows(DescentException.class, () -> Expression.parse(text));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void gradientEqualsFiniteDifference() {
        Objective f = Objective.of("sin(x*y) + exp(-x^2)*cos(y) + log(1 + x^2 + y^2)/sqrt(2 + tanh(x)) + abs(x - 3) + x^y");
        double[][] points = {{0.7, -0.4}, {1.3, 2.1}, {0.2, 0.9}};
        for (double[] p : points) {
            double[] g = f.evaluate(p).gradient();
            for (int i = 0; i < 2; i++) {
                double h = 1e-6;
                double[] a = p.clone(), b = p.clone();
                a[i] += h;
                b[i] -= h;
                double fd = (f.value(a) - f.value(b)) / (2 * h);
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), "d/dx" + i + " at " + p[0] + "," + p[1]);
            }
        }
    }
}
