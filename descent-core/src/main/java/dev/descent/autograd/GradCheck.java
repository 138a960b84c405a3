package dev.descent.autograd;

import dev.descent.tensor.Autograd;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks backpropagation against central finite differences in double precision. The
 * function's output {@code y} is reduced to the scalar {@code L = Σ y·r} with a fixed random
 * {@code r}, so every output element takes part; then for every input element
 * {@code ∂L/∂x ≈ (L(x + h) − L(x − h)) / 2h} is compared with the gradient from
 * {@link Tensor#backward()}: they agree when {@code |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|)}.
 * Inputs are converted to {@link DType#FLOAT64}; float32 differences are too noisy to catch real bugs.
 */
public final class GradCheck {
    /** Finite-difference step. */
    public static final double STEP = 1e-6;
    public static final double ABSOLUTE_TOLERANCE = 1e-6;
    public static final double RELATIVE_TOLERANCE = 1e-5;

    private GradCheck() {
    }

    /** The largest disagreement found, and where. */
    public record Result(double maxError, String worst, int checked) {
        public boolean passed() {
            return maxError <= 1;
        }
    }

    /**
     * Compares analytic and numeric gradients of {@code f} with respect to every input.
     * {@link Result#maxError()} is the worst {@code |a − n| / (atol + rtol·max(|a|,|n|))}, at most 1 when it passes.
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            xs.add(t.to(DType.FLOAT64).copy().requiresGrad(true));
        }
        Tensor y = f.apply(xs);
        Tensor r = Tensor.normal(new SplittableRandom(20240601L), DType.FLOAT64, y.shape(), 0, 1);
        y.to(DType.FLOAT64).mul(r).sum().backward();
        double worst = 0;
        String where = "none";
        int checked = 0;
        try (var scope = Autograd.noGrad()) {
            for (int k = 0; k < xs.size(); k++) {
                Tensor x = xs.get(k);
                for (int i = 0; i < x.size(); i++) {
                    double saved = x.storage().get(i);
                    x.storage().set(i, saved + STEP);
                    double plus = f.apply(xs).to(DType.FLOAT64).mul(r).sum().item();
                    x.storage().set(i, saved - STEP);
                    double minus = f.apply(xs).to(DType.FLOAT64).mul(r).sum().item();
                    x.storage().set(i, saved);
                    double numeric = (plus - minus) / (2 * STEP);
                    double analytic = x.grad() == null ? 0 : x.grad().storage().get(i);
                    double error = Math.abs(analytic - numeric)
                            / (ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.max(Math.abs(analytic), Math.abs(numeric)));
                    if (Double.isNaN(error) || error > worst) {
                        worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                        where = "input " + k + " element " + i + ": backprop " + analytic + ", finite difference " + numeric;
                    }
                    checked++;
                }
            }
        }
        return new Result(worst, where, checked);
    }

    /** Like {@link #check}, throwing an {@link AssertionError} that names the worst element when it fails. */
    public static void assertGradients(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        Result result = check(f, inputs);
        if (!result.passed()) {
            throw new AssertionError("gradient check failed (error " + result.maxError() + "× tolerance) at " + result.worst());
        }
    }
}
