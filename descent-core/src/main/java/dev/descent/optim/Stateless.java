package dev.descent.optim;

/**
 * A transformation that keeps no state ({@link OptState.Empty}): only {@link #apply} is
 * written, which may overwrite and return {@code updates}.
 */
@FunctionalInterface
interface Stateless extends GradientTransformation {

    /** The new updates for these incoming updates and (read-only) parameters. */
    Params apply(Params updates, Params params);

    @Override
    default OptState init(Params params) {
        return new OptState.Empty();
    }

    @Override
    default Update update(Params updates, OptState state, Params params, UpdateContext context) {
        return new Update(apply(updates, params), state);
    }
}
