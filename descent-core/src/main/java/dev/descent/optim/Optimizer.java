package dev.descent.optim;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;

/**
 * A {@link GradientTransformation} bound to a model's parameters, used PyTorch-style:
 * <pre>
 * opt.zeroGrad(); loss.backward(); opt.step();
 * </pre>
 * {@link #step()} copies every parameter's gradient {@code g = p.grad()} (a missing gradient
 * counts as zeros) into an updates buffer it reuses, runs
 * {@code (u, state) = tx.update(g, state, params, context)} and applies {@code p ← p + u}
 * in place to the parameter tensors, float32 or float64.
 *
 * <p>The parameter tensors are those of the model when the optimizer is made: make it after
 * converting the model to its element type. {@link #state()} is live: {@code step()} updates
 * its tensors in place.
 */
public final class Optimizer {
    private final GradientTransformation tx;
    private final Params params;
    private final Params buffer;
    private OptState state;
    private long steps;

    /** An optimizer over the model's {@link Module#namedParameters() named parameters}. */
    public Optimizer(GradientTransformation tx, Module model) {
        this(tx, Params.of(model.namedParameters()));
    }

    /** An optimizer over these parameter tensors, which it updates in place. */
    public Optimizer(GradientTransformation tx, Params params) {
        this.tx = tx;
        this.params = params;
        this.buffer = params.zerosLike();
        this.state = tx.init(params);
    }

    /** One update with a context that carries the step count only. */
    public void step() {
        step(new UpdateContext(steps, Double.NaN, null));
    }

    /** One update: {@code p ← p + u} with {@code u} from the transformation (see the class comment). */
    public void step(UpdateContext context) {
        for (int k = 0; k < params.size(); k++) {
            Tensor grad = params.get(k).grad();
            if (grad == null) {
                buffer.get(k).fillInPlace(0);
            } else {
                buffer.get(k).copyFromInPlace(grad);
            }
        }
        GradientTransformation.Update r = tx.update(buffer, state, params, context);
        for (int k = 0; k < params.size(); k++) {
            params.get(k).addInPlace(r.updates().get(k));
        }
        state = r.state();
        steps++;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params.tensors()) {
            p.zeroGrad();
        }
    }

    /** The parameters this optimizer updates. */
    public Params params() {
        return params;
    }

    /** The current (live) state of the transformation. */
    public OptState state() {
        return state;
    }

    /** Replaces the state, e.g. with one restored from a checkpoint. */
    public void setState(OptState restored) {
        if (restored == null || restored.getClass() != state.getClass()) {
            throw new IllegalArgumentException("expected a state of type " + state.getClass().getSimpleName()
                    + ", got " + (restored == null ? "null" : restored.getClass().getSimpleName()));
        }
        this.state = restored;
    }

    /** The number of {@link #step} calls made (including those before a restored state, if set with {@link #setStepCount}). */
    public long stepCount() {
        return steps;
    }

    /** Sets the step count, e.g. when resuming from a checkpoint. */
    public void setStepCount(long count) {
        this.steps = count;
    }
}
