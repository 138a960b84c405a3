package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network of layers: a function {@link #forward} with named parameters. Each
 * module registers its own parameters and child modules in a fixed order, and
 * {@link #namedParameters()} lists them all with dotted names ({@code "fc1.weight"}), the
 * order every optimizer state and checkpoint follows.
 *
 * <p>A module is in training mode after construction; {@link #eval()} switches layers such as
 * {@link Dropout} to their inference behaviour.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The output for input {@code x} (recorded for backpropagation unless under no-grad). */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter of this module (marked as requiring a gradient) and returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        if (name.contains(".") || parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("bad or duplicate parameter name '" + name + "'");
        }
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a child module and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        if (name.contains(".") || parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("bad or duplicate module name '" + name + "'");
        }
        children.put(name, module);
        return module;
    }

    /** This module's own parameter {@code name}. */
    protected final Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + getClass().getSimpleName());
        }
        return t;
    }

    /** Every parameter of this module and its descendants, with dotted names, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters);
        children.forEach((name, child) ->
                child.namedParameters().forEach((sub, t) -> all.put(name + "." + sub, t)));
        return Collections.unmodifiableMap(all);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct children, by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.size();
        }
        return n;
    }

    /**
     * Replaces the value of the parameter with dotted name {@code name}; the new tensor must
     * have the same shape. Used by checkpoints and by {@link #to(DType)}.
     */
    public final void setParameter(String name, Tensor value) {
        int dot = name.indexOf('.');
        if (dot >= 0) {
            Module child = children.get(name.substring(0, dot));
            if (child == null) {
                throw new IllegalArgumentException("no module '" + name.substring(0, dot) + "' for parameter " + name);
            }
            child.setParameter(name.substring(dot + 1), value);
            return;
        }
        Tensor old = parameters.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + getClass().getSimpleName());
        }
        if (!old.shape().equals(value.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + old.shape() + ", got " + value.shape());
        }
        parameters.put(name, value.detach().requiresGrad(true));
    }

    /** Converts every parameter to {@code dtype} (gradient checks run modules in FLOAT64); returns this. */
    public Module to(DType dtype) {
        namedParameters().forEach((name, t) -> setParameter(name, t.to(dtype).copy()));
        return this;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        namedParameters().values().forEach(Tensor::zeroGrad);
    }

    /** Switches this module and its descendants to training ({@code true}) or evaluation mode. */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    /** Evaluation mode: dropout off, statistics frozen. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Re-seeds the random source of every stochastic layer below this module (dropout masks),
     * so a run is reproducible from a seed; the default does nothing but recurse.
     */
    public void reseed(long seed) {
        int i = 0;
        for (Module child : children.values()) {
            child.reseed(seed * 31 + (i++));
        }
    }
}
