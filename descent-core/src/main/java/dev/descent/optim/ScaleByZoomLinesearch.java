package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Zoom line search for the strong Wolfe conditions (optax {@code scale_by_zoom_linesearch};
 * Nocedal &amp; Wright Alg. 3.5/3.6 with safeguarded cubic/quadratic interpolation and the
 * Hager–Zhang approximate-Wolfe criterion). Incoming updates are a direction {@code d}; the output
 * is {@code u = η·d} for the accepted step η. Needs an {@link ObjectiveFunction} as
 * {@link UpdateContext#valueFunction()}. With {@code f0, g0} the value and gradient at the
 * current parameters {@code w} and {@code s0 = <d, g0>}:
 * <pre>
 * decrease error  = max(min(f − f0 − c1·η·s0,  max(s − (2c1−1)·s0, f − f0 − c3·|f0|)), 0)   (NaN → +∞)
 * curvature error = max(|s| − c2·|s0|, 0)                                                    (s = &lt;∇f(w + ηd), d&gt;)
 * </pre>
 * A step is accepted when both errors are ≤ tol; first η = 1 ('one') or the previous η ('keep'),
 * then doubled (× increaseFactor) until an interval is bracketed, then zoomed. If the budget of
 * {@code maxSteps} evaluations runs out, the step with the best sufficient decrease is used, else
 * the last trial step (unless its value was not finite).
 *
 * <p>The state keeps the value and gradient at the accepted point {@code w + η·d}; when it is
 * finite the next update takes them as {@code f0, g0} (optax's {@code value_and_grad_from_state}),
 * else it evaluates the objective at {@code w}. Made by {@link Transforms#scaleByZoomLinesearch}.
 */
public final class ScaleByZoomLinesearch implements GradientTransformation {
    private final int maxSteps;
    private final double maxLearningRate;
    private final double tol;
    private final double increaseFactor;
    private final double c1;
    private final double c2;
    private final double c3;
    private final double stepsizePrecision;
    private final boolean keepGuess;

    /**
     * The accepted step η, the value and gradient at the accepted point (+∞ and zeros at first)
     * and the number of evaluations of the last search.
     */
    public record ZoomState(double learningRate, double value, Params grad, long evaluations) implements OptState {
    }

    /**
     * @param maxLearningRate NaN for none
     * @param approxDecRtol   c3; NaN disables the approximate-Wolfe criterion
     * @param keepGuess       start from the previous η ('keep') instead of 1 ('one')
     */
    ScaleByZoomLinesearch(int maxSteps, double maxLearningRate, double tol, double increaseFactor, double slopeRtol,
                          double curvRtol, double approxDecRtol, double stepsizePrecision, boolean keepGuess) {
        this.maxSteps = maxSteps;
        this.maxLearningRate = maxLearningRate;
        this.tol = tol;
        this.increaseFactor = increaseFactor;
        this.c1 = slopeRtol;
        this.c2 = curvRtol;
        this.c3 = approxDecRtol;
        this.stepsizePrecision = stepsizePrecision;
        this.keepGuess = keepGuess;
    }

    @Override
    public OptState init(Params params) {
        return new ZoomState(1, Double.POSITIVE_INFINITY, params.zerosLike(), 0);
    }

    /** A trial point: step, value, gradient, slope. */
    private record Trial(double eta, double f, Params grad, double slope) {
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        ZoomState st = (ZoomState) state;
        if (!(context.valueFunction() instanceof ObjectiveFunction objective)) {
            throw new IllegalArgumentException("the zoom line search (L-BFGS) evaluates the loss and its gradient at"
                    + " trial points: pass an ObjectiveFunction as UpdateContext.valueFunction");
        }
        Params d = updates;
        double f0;
        Params g0;
        if (Double.isFinite(st.value())) {
            f0 = st.value();
            g0 = st.grad();
        } else {
            f0 = Double.isNaN(context.value()) ? objective.applyAsDouble(params) : context.value();
            g0 = objective.gradient(params);
        }
        double s0 = Elementwise.dot(d, g0);
        double guess = keepGuess ? st.learningRate() : 1;

        int k = 0;
        Trial cur = new Trial(0, f0, g0, s0);
        Trial lo = cur, hi = cur;
        double cref = 0, fcref = f0;
        Trial safe = cur;
        double lastDec = Double.POSITIVE_INFINITY;
        boolean found = false, done = false, failed = false;
        while (!(done || failed)) {
            if (!found) {
                double eta = k == 0 ? guess : increaseFactor * cur.eta();
                boolean reached = false;
                if (!Double.isNaN(maxLearningRate)) {
                    reached = eta >= maxLearningRate;
                    eta = Math.min(eta, maxLearningRate);
                }
                Trial n = evaluate(objective, params, d, eta);
                double de = decreaseError(n, f0, s0), ce = curvatureError(n, s0), err = Math.max(de, ce);
                if (de <= tol) {
                    safe = n;
                }
                boolean setHi = de > 0 || (n.f() >= cur.f() && k > 0);
                boolean setLo = n.slope() >= 0 && !setHi;
                if (setLo) {
                    lo = n;
                    hi = cur;
                } else {
                    lo = cur;
                    hi = n;
                }
                found = setHi || setLo || err <= tol;
                done = err <= tol || (reached && !found);
                failed = k + 1 >= maxSteps && !done;
                cur = n;
                cref = lo.eta();
                fcref = lo.f();
                lastDec = de;
            } else {
                double delta = Math.abs(hi.eta() - lo.eta());
                double left = Math.min(lo.eta(), hi.eta()), right = Math.max(lo.eta(), hi.eta());
                boolean tooSmall = delta <= stepsizePrecision;
                double mc = cubicmin(lo.eta(), lo.f(), lo.slope(), hi.eta(), hi.f(), cref, fcref);
                double m;
                if (left + 0.2 * delta < mc && mc < right - 0.2 * delta) {
                    m = mc;
                } else {
                    double mq = quadmin(lo.eta(), lo.f(), lo.slope(), hi.eta(), hi.f());
                    m = left + 0.1 * delta < mq && mq < right - 0.1 * delta ? mq : (lo.eta() + hi.eta()) / 2;
                }
                Trial n = evaluate(objective, params, d, m);
                double de = decreaseError(n, f0, s0), ce = curvatureError(n, s0), err = Math.max(de, ce);
                if (de <= tol && n.f() < safe.f()) {
                    safe = n;
                }
                done = err <= tol;
                boolean hiToMid = de > 0 || n.f() >= lo.f();
                boolean hiToLo = n.slope() * (hi.eta() - lo.eta()) >= 0 && !hiToMid;
                Trial newHi = hiToMid ? n : hiToLo ? lo : hi;
                Trial newLo = hiToMid ? lo : n;
                if (hiToMid || hiToLo) {
                    cref = hi.eta();
                    fcref = hi.f();
                } else {
                    cref = lo.eta();
                    fcref = lo.f();
                }
                failed = (k + 1 >= maxSteps || (tooSmall && safe.eta() > 0)) && !done;
                cur = n;
                lo = newLo;
                hi = newHi;
                lastDec = de;
            }
            k++;
            if (failed && (safe.eta() > 0 || lastDec == Double.POSITIVE_INFINITY)) {
                cur = safe;
            }
        }
        Elementwise.scaleInPlace(d, cur.eta());
        return new Update(d, new ZoomState(cur.eta(), cur.f(), cur.grad(), k));
    }

    private Trial evaluate(ObjectiveFunction objective, Params params, Params d, double eta) {
        List<Tensor> moved = new ArrayList<>(params.size());
        for (int t = 0; t < params.size(); t++) {
            moved.add(params.get(t).copy());
        }
        Params at = new Params(params.names(), moved);
        Elementwise.axpy(at, eta, d);
        double f = objective.applyAsDouble(at);
        Params g = objective.gradient(at);
        return new Trial(eta, f, g, Elementwise.dot(g, d));
    }

    private double decreaseError(Trial n, double f0, double s0) {
        double a = n.f() - f0 - c1 * n.eta() * s0;
        if (!Double.isNaN(c3)) {
            double b = Math.max(n.slope() - (2 * c1 - 1) * s0, n.f() - f0 - c3 * Math.abs(f0));
            a = Math.min(a, b);
        }
        double e = Math.max(a, 0);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    private double curvatureError(Trial n, double s0) {
        double e = Math.max(Math.abs(n.slope()) - c2 * Math.abs(s0), 0);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    /** The minimiser of the cubic through (a, fa) with slope fa' at a, (b, fb) and (c, fc); may be NaN. */
    static double cubicmin(double a, double fa, double fpa, double b, double fb, double c, double fc) {
        double cc = fpa, db = b - a, dc = c - a;
        double denom = (db * dc) * (db * dc) * (db - dc);
        double p = fb - fa - cc * db, q = fc - fa - cc * dc;
        double aa = (dc * dc * p - db * db * q) / denom;
        double bb = (-dc * dc * dc * p + db * db * db * q) / denom;
        return a + (-bb + Math.sqrt(bb * bb - 3 * aa * cc)) / (3 * aa);
    }

    /** The minimiser of the quadratic through (a, fa) with slope fa' at a and (b, fb); may be NaN. */
    static double quadmin(double a, double fa, double fpa, double b, double fb) {
        double db = b - a;
        double bq = (fb - fa - fpa * db) / (db * db);
        return a - fpa / (2 * bq);
    }
}
