package dev.descent.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reuses the buffers of a repeated computation, such as one training step, instead of
 * allocating (and having the JVM zero and later collect) fresh arrays every time. While a
 * workspace is {@linkplain #activate() active} on a thread, every {@link Storage#allocate}
 * on that thread takes a zero-filled buffer of the right size from the workspace's free list,
 * or makes one. {@link #recycle()} declares every buffer handed out since the last recycle
 * dead, so the next step reuses it:
 * <pre>
 * workspace.recycle();                          // the previous step's tensors are dead now
 * try (var active = workspace.activate()) {
 *     loss = model.forward(x) ...; loss.backward();
 * }
 * </pre>
 * The caller promises that no tensor made while active is read after the next recycle:
 * parameters, their gradients ({@link Tensor#zeroGrad()} keeps the buffer) and optimizer
 * state live outside the active region. Not thread-safe: one workspace per training loop.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    private final Map<Long, ArrayDeque<Storage>> free = new HashMap<>();
    private final List<Storage> handedOut = new ArrayList<>();

    /** Makes this workspace serve the allocations of the current thread until the scope closes. */
    public Scope activate() {
        Workspace previous = ACTIVE.get();
        ACTIVE.set(this);
        return () -> ACTIVE.set(previous);
    }

    /** Every buffer handed out since the last call becomes free for reuse. */
    public void recycle() {
        for (Storage s : handedOut) {
            free.computeIfAbsent(key(s.dtype(), s.size()), k -> new ArrayDeque<>()).push(s);
        }
        handedOut.clear();
    }

    /** The scope of {@link #activate()}; closing it restores the previous workspace, if any. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A buffer from the active workspace of this thread, or null when none is active; a
     * recycled buffer is zero-filled when {@code zeroed}, else it keeps its old contents.
     */
    static Storage take(DType dtype, int size, boolean zeroed) {
        Workspace w = ACTIVE.get();
        if (w == null) {
            return null;
        }
        ArrayDeque<Storage> list = w.free.get(key(dtype, size));
        Storage s;
        if (list == null || list.isEmpty()) {
            s = dtype == DType.FLOAT32 ? new FloatStorage(new float[size]) : new DoubleStorage(new double[size]);
        } else {
            s = list.pop();
            if (zeroed) {
                if (s instanceof FloatStorage f) {
                    Arrays.fill(f.data(), 0f);
                } else {
                    Arrays.fill(((DoubleStorage) s).data(), 0.0);
                }
            }
        }
        w.handedOut.add(s);
        return s;
    }

    private static long key(DType dtype, int size) {
        return ((long) size << 1) | dtype.ordinal();
    }
}
