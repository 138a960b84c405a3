package dev.descent.optim;

/**
 * optax {@code apply_if_finite}: runs {@code inner} when every incoming update entry is finite and
 * resets the count of consecutive non-finite calls; otherwise returns zeros and leaves the inner
 * state untouched, unless the consecutive count (including this call) exceeds
 * {@code maxConsecutiveErrors}, in which case {@code inner} runs anyway. Made by
 * {@link Transforms#applyIfFinite}.
 */
public final class ApplyIfFinite implements GradientTransformation {
    private final GradientTransformation inner;
    private final long maxConsecutiveErrors;

    /**
     * The inner state, the current run of non-finite calls, whether the last call was finite and
     * the total of non-finite calls.
     */
    public record ApplyIfFiniteState(OptState inner, long notFiniteCount, boolean lastFinite, long totalNotFinite)
            implements OptState {
    }

    ApplyIfFinite(GradientTransformation inner, long maxConsecutiveErrors) {
        this.inner = inner;
        this.maxConsecutiveErrors = maxConsecutiveErrors;
    }

    /** Whether any entry of {@code updates} is NaN or infinite. */
    static boolean anyNotFinite(Params updates) {
        for (var t : updates.tensors()) {
            var s = t.storage();
            for (int i = 0; i < s.size(); i++) {
                if (!Double.isFinite(s.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sets every entry of {@code updates} to 0 (also NaN and infinite ones); returns them. */
    static Params zeroInPlace(Params updates) {
        for (var t : updates.tensors()) {
            var s = t.storage();
            for (int i = 0; i < s.size(); i++) {
                s.set(i, 0);
            }
        }
        return updates;
    }

    @Override
    public OptState init(Params params) {
        return new ApplyIfFiniteState(inner.init(params), 0, true, 0);
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        ApplyIfFiniteState s = (ApplyIfFiniteState) state;
        boolean finite = !anyNotFinite(updates);
        long count = finite ? 0 : s.notFiniteCount() + 1;
        long total = s.totalNotFinite() + (finite ? 0 : 1);
        if (finite || count > maxConsecutiveErrors) {
            Update r = inner.update(updates, s.inner(), params, context);
            return new Update(r.updates(), new ApplyIfFiniteState(r.state(), count, finite, total));
        }
        return new Update(zeroInPlace(updates), new ApplyIfFiniteState(s.inner(), count, false, total));
    }
}
