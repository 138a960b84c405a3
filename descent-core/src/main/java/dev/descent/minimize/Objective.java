package dev.descent.minimize;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A differentiable function {@code f: ℝⁿ → ℝ} to minimize, written as an {@link Expression}
 * so that its value and gradient come from the autograd tensors, in FLOAT64.
 *
 * <p>Built-ins (see {@link #builtin}), each with a usual start and its known minima:
 * <ul>
 * <li>{@code canyon}: {@code 0.5·(x² + 25·y²)}, the lecture's ill-conditioned canyon: the
 *     curvature across the valley (25) is 25 times the curvature along it (1), so a step
 *     size that is safe across it crawls along it. Minimum 0 at (0, 0).</li>
 * <li>{@code rosenbrock}: {@code (1 − x)² + 100·(y − x²)²}, minimum 0 at (1, 1), start (−1.2, 1).</li>
 * <li>{@code booth}: {@code (x + 2y − 7)² + (2x + y − 5)²}, minimum 0 at (1, 3).</li>
 * <li>{@code beale}: {@code (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²},
 *     minimum 0 at (3, 0.5).</li>
 * <li>{@code himmelblau}: {@code (x² + y − 11)² + (x + y² − 7)²}, four minima of value 0:
 *     (3, 2), (−2.805118, 3.131312), (−3.779310, −3.283186), (3.584428, −1.848126).</li>
 * </ul>
 *
 * @param name     the built-in's name, or the formula for a user expression
 * @param formula  the function
 * @param start    a usual starting point, or null when there is none
 * @param minima   the known minimizers (possibly none)
 */
public record Objective(String name, Expression formula, double[] start, List<double[]> minima) {

    /** The value and gradient at one point. */
    public record Evaluation(double value, double[] gradient) {
        /** The Euclidean norm of the gradient. */
        public double gradientNorm() {
            double s = 0;
            for (double g : gradient) {
                s += g * g;
            }
            return Math.sqrt(s);
        }
    }

    private static final Map<String, Objective> BUILTINS = new LinkedHashMap<>();

    static {
        add("canyon", "0.5*(x^2 + 25*y^2)", new double[] {-8, 1.5}, new double[] {0, 0});
        add("rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2", new double[] {-1.2, 1}, new double[] {1, 1});
        add("booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2", new double[] {-5, -5}, new double[] {1, 3});
        add("beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
                new double[] {1, 1}, new double[] {3, 0.5});
        add("himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", new double[] {0, 0},
                new double[] {3, 2}, new double[] {-2.805118, 3.131312}, new double[] {-3.779310, -3.283186},
                new double[] {3.584428, -1.848126});
    }

    private static void add(String name, String formula, double[] start, double[]... minima) {
        BUILTINS.put(name, new Objective(name, Expression.parse(formula), start, List.of(minima)));
    }

    /** The built-in names, in a fixed order. */
    public static List<String> builtins() {
        return List.copyOf(BUILTINS.keySet());
    }

    /** The built-in {@code name}; throws a {@link DescentException} listing them when unknown. */
    public static Objective builtin(String name) {
        Objective o = BUILTINS.get(name);
        if (o == null) {
            throw new DescentException("unknown function '" + name + "'; choose one of: " + String.join(", ", BUILTINS.keySet())
                    + ", or write a formula in x0, x1, ... (or x, y), e.g. \"(x-1)^2 + 10*sin(y)^2\"");
        }
        return o;
    }

    /** A built-in by name, or else a formula ({@link Expression#parse}). */
    public static Objective of(String nameOrFormula) {
        String s = nameOrFormula.strip();
        if (BUILTINS.containsKey(s)) {
            return BUILTINS.get(s);
        }
        if (s.matches("[A-Za-z_][A-Za-z0-9_]*") && !s.matches("x[0-9]*|y")) {
            return builtin(s);
        }
        Expression e = Expression.parse(s);
        if (e.variables() == 0) {
            throw new DescentException("the formula '" + s + "' has no variable; write it in x0, x1, ... (or x, y)");
        }
        return new Objective(s, e, null, List.of());
    }

    /** The number of variables. */
    public int dimension() {
        return formula.variables();
    }

    /** Whether this is a built-in (its name is not its formula). */
    public boolean isBuiltin() {
        return BUILTINS.get(name) == this;
    }

    /** The value at {@code x}. */
    public double value(double[] x) {
        checkArity(x);
        try (var scope = Autograd.noGrad()) {
            return formula.value(x);
        }
    }

    /** The value and the gradient at {@code x}, the gradient by backpropagation. */
    public Evaluation evaluate(double[] x) {
        checkArity(x);
        Tensor[] vars = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            vars[i] = Tensor.scalar(x[i], DType.FLOAT64).requiresGrad(true);
        }
        Tensor f = formula.apply(vars);
        double[] g = new double[x.length];
        if (f.requiresGrad()) {
            f.backward();
            for (int i = 0; i < x.length; i++) {
                Tensor gi = vars[i].grad();
                g[i] = gi == null ? 0 : gi.item();
            }
        }
        return new Evaluation(f.item(), g);
    }

    /**
     * The values at many points at once (for contour plots): {@code coordinates[i][k]} is
     * coordinate {@code i} of point {@code k}.
     */
    public double[] values(double[][] coordinates) {
        if (coordinates.length != dimension()) {
            throw new IllegalArgumentException(name + " takes " + dimension() + " coordinates, got " + coordinates.length);
        }
        int n = coordinates[0].length;
        Tensor[] vars = new Tensor[coordinates.length];
        for (int i = 0; i < vars.length; i++) {
            vars[i] = Tensor.of(coordinates[i], n);
        }
        double[] out;
        try (var scope = Autograd.noGrad()) {
            Tensor f = formula.apply(vars);
            out = f.size() == n ? f.toDoubleArray() : filled(n, f.item());
        }
        return out;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Throws a {@link DescentException} unless {@code x} has {@link #dimension()} coordinates. */
    public void checkArity(double[] x) {
        if (x.length != dimension()) {
            throw new DescentException(String.format("%s is a function of %d variable%s, but the start point has %d coordinate%s;"
                            + " give %d comma-separated numbers", name, dimension(), dimension() == 1 ? "" : "s",
                    x.length, x.length == 1 ? "" : "s", dimension()));
        }
    }

    /** A short description: the name and, for a built-in, its formula. */
    public String describe() {
        return isBuiltin() ? name + ": f = " + formula.text() : "f = " + formula.text();
    }
}
