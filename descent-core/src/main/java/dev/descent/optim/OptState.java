package dev.descent.optim;

/**
 * The state of one {@link GradientTransformation}: always a record, whose components are
 * numbers ({@code int}, {@code long}, {@code double}, {@code boolean}), {@link Params},
 * nested states, or lists of those. Checkpoints save and restore any state through those
 * components, so a resumed run continues bit for bit.
 */
public interface OptState {

    /** The state of a transformation that keeps none. */
    record Empty() implements OptState {
    }
}
