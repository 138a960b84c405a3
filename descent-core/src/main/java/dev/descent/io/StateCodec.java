package dev.descent.io;

import dev.descent.DescentException;
import dev.descent.optim.OptState;
import dev.descent.optim.Params;
import dev.descent.tensor.Tensor;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Saves and restores any optimizer state ({@link OptState}) by walking its record components.
 *
 * <p>Each value in the state tree has a path: record components add their name, list elements
 * their index, joined by dots ({@code "inner.0.count"}); the top-level record has the empty
 * path. {@link #flatten} splits a state into
 * <ul>
 *   <li>tensors: every tensor of every {@link Params}, named {@code PATH/PARAM}, e.g.
 *       {@code "inner.0.mu/fc1.weight"} (just {@code "mu/fc1.weight"} at the top level);
 *   <li>scalars: every {@code int}, {@code long}, {@code double} and {@code boolean} component,
 *       named by its path, as {@link Integer}, {@link Long}, {@link Double} and {@link Boolean}
 *       (JSON-ready: {@link Json} writes doubles so they read back bit for bit).
 * </ul>
 * {@link #restore} walks a template state of the same record types (an optimizer's
 * {@code init(params)}) and rebuilds every record with its canonical constructor from the
 * saved values, so a resumed run continues bit for bit. A missing, extra or differently
 * shaped value is a {@link DescentException}.
 */
public final class StateCodec {
    private static final String MISMATCH = "checkpoint optimizer state does not match the model: ";
    private static final String MISMATCH_FIX =
            "; resume with the model and optimizer the checkpoint was saved with, or train without resuming";

    private StateCodec() {
    }

    /** The tensors and scalars of one state, by path. */
    public record Flat(Map<String, Tensor> tensors, Map<String, Object> scalars) {
    }

    /** Splits {@code state} into named tensors (shared, not copied) and named scalars. */
    public static Flat flatten(OptState state) {
        Flat flat = new Flat(new LinkedHashMap<>(), new LinkedHashMap<>());
        flatten("", state, flat);
        return flat;
    }

    private static void flatten(String path, Object value, Flat flat) {
        switch (value) {
            case Params p -> {
                for (int i = 0; i < p.size(); i++) {
                    flat.tensors.put(path + "/" + p.name(i), p.get(i));
                }
            }
            case Record r when r instanceof OptState -> {
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    flatten(child(path, c.getName()), component(r, c), flat);
                }
            }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    flatten(child(path, Integer.toString(i)), list.get(i), flat);
                }
            }
            case Integer i -> flat.scalars.put(path, i);
            case Long l -> flat.scalars.put(path, l);
            case Double d -> flat.scalars.put(path, d);
            case Boolean b -> flat.scalars.put(path, b);
            case null, default -> throw unsupported(path, value);
        }
    }

    /**
     * A state like {@code template} with the saved values: tensors as {@link #flatten} named
     * them (converted to the template's dtype), scalars as numbers, booleans, or the strings
     * {@link Json} uses for non-finite doubles. Every saved value must be used.
     */
    public static <S extends OptState> S restore(S template, Map<String, Tensor> tensors, Map<String, Object> scalars) {
        Set<String> used = new HashSet<>();
        @SuppressWarnings("unchecked")
        S state = (S) restore("", template, new Flat(tensors, scalars), used);
        Set<String> unused = new TreeSet<>(tensors.keySet());
        unused.addAll(scalars.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new DescentException(MISMATCH + "unexpected saved values " + unused + MISMATCH_FIX);
        }
        return state;
    }

    private static Object restore(String path, Object template, Flat saved, Set<String> used) {
        return switch (template) {
            case Params p -> {
                List<Tensor> out = new ArrayList<>(p.size());
                for (int i = 0; i < p.size(); i++) {
                    out.add(tensor(path + "/" + p.name(i), p.get(i), saved, used));
                }
                yield new Params(p.names(), out);
            }
            case Record r when r instanceof OptState -> {
                RecordComponent[] components = r.getClass().getRecordComponents();
                Object[] args = new Object[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    args[i] = restore(child(path, components[i].getName()), component(r, components[i]), saved, used);
                }
                yield construct(r.getClass(), types, args);
            }
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    out.add(restore(child(path, Integer.toString(i)), list.get(i), saved, used));
                }
                yield List.copyOf(out);
            }
            case Integer i -> Math.toIntExact(whole(path, saved, used));
            case Long l -> whole(path, saved, used);
            case Double d -> Json.toDouble(scalar(path, saved, used));
            case Boolean b -> {
                if (!(scalar(path, saved, used) instanceof Boolean value)) {
                    throw new DescentException(MISMATCH + path + " should be true or false" + MISMATCH_FIX);
                }
                yield value;
            }
            case null, default -> throw unsupported(path, template);
        };
    }

    private static Tensor tensor(String name, Tensor like, Flat saved, Set<String> used) {
        Tensor t = saved.tensors().get(name);
        if (t == null) {
            throw new DescentException(MISMATCH + "missing tensor " + name + MISMATCH_FIX);
        }
        if (!t.shape().equals(like.shape())) {
            throw new DescentException(MISMATCH + "tensor " + name + " has shape " + t.shape() + ", the model needs "
                    + like.shape() + MISMATCH_FIX);
        }
        used.add(name);
        return t.to(like.dtype());
    }

    private static Object scalar(String path, Flat saved, Set<String> used) {
        if (!saved.scalars().containsKey(path)) {
            throw new DescentException(MISMATCH + "missing value " + path + MISMATCH_FIX);
        }
        used.add(path);
        return saved.scalars().get(path);
    }

    private static long whole(String path, Flat saved, Set<String> used) {
        Object v = scalar(path, saved, used);
        if (!(v instanceof Long || v instanceof Integer)) {
            throw new DescentException(MISMATCH + path + " should be a whole number, got " + v + MISMATCH_FIX);
        }
        return ((Number) v).longValue();
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Object component(Record r, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + r.getClass().getName() + "." + c.getName(), e);
        }
    }

    private static Object construct(Class<?> type, Class<?>[] types, Object[] args) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild optimizer state " + type.getName(), e);
        }
    }

    /** A programming error: {@link OptState} allows only the component kinds listed there. */
    private static IllegalArgumentException unsupported(String path, Object value) {
        return new IllegalArgumentException("optimizer state component " + (path.isEmpty() ? "<root>" : path)
                + " is a " + (value == null ? "null" : value.getClass().getName())
                + "; states may hold only int, long, double, boolean, Params, OptState records and lists of those");
    }
}
