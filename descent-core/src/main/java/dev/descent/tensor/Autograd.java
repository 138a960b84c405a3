package dev.descent.tensor;


/**
 * Whether operations are being recorded for backpropagation, per thread. Recording is on by
 * default; inference turns it off with a scope:
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor prediction = model.forward(x);   // nothing recorded, no gradients
 * }
 * }</pre>
 */
public final class Autograd {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private Autograd() {
    }

    /** A scope in which nothing is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** A scope in which recording is on again (inside a no-grad scope). */
    public static Scope enableGrad() {
        return new Scope(true);
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Whether an op over these inputs should be recorded: recording is on and one input needs a gradient. */
    public static boolean shouldRecord(Tensor... inputs) {
        if (!ENABLED.get()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** A recording mode in force until {@link #close()}. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            previous = ENABLED.get();
            ENABLED.set(enabled);
        }

        @Override
        public void close() {
            ENABLED.set(previous);
        }
    }
}
