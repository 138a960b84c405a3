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
 * <p>Buffers are tensors a module keeps besides its parameters, such as batch norm's running
 * statistics: saved in checkpoints with the parameters ({@link #namedTensors()}), but not
 * trained (no gradient, not given to optimizers).
 *
 * <p>A module is in training mode after construction; {@link #eval()} switches layers such as
 * {@link Dropout} to their inference behaviour.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The output for input {@code x} (recorded for backpropagation unless under no-grad). */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter of this module (marked as requiring a gradient) and returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        requireNewName(name);
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a buffer of this module (not trained, saved with the parameters) and returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        requireNewName(name);
        buffers.put(name, value);
        return value;
    }

    private void requireNewName(String name) {
        if (name.contains(".") || parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("bad or duplicate name '" + name + "'");
        }
    }

    /** Registers a child module and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        requireNewName(name);
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

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no buffer '" + name + "' in " + getClass().getSimpleName());
        }
        return t;
    }

    /** Every parameter of this module and its descendants, with dotted names, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(collect(true, false));
    }

    /** Every buffer of this module and its descendants, with dotted names ({@code "bn1.running_mean"}). */
    public final Map<String, Tensor> namedBuffers() {
        return Collections.unmodifiableMap(collect(false, true));
    }

    /**
     * Everything a checkpoint saves: each module's parameters, then its buffers, with dotted
     * names, depth first in registration order (PyTorch's {@code state_dict} order).
     */
    public final Map<String, Tensor> namedTensors() {
        return Collections.unmodifiableMap(collect(true, true));
    }

    private Map<String, Tensor> collect(boolean withParameters, boolean withBuffers) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        if (withParameters) {
            all.putAll(parameters);
        }
        if (withBuffers) {
            all.putAll(buffers);
        }
        children.forEach((name, child) ->
                child.collect(withParameters, withBuffers).forEach((sub, t) -> all.put(name + "." + sub, t)));
        return all;
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
        owner(name).replace(leaf(name), value, true);
    }

    /** Replaces the value of a parameter or buffer (see {@link #namedTensors()}); same shape required. */
    public final void setTensor(String name, Tensor value) {
        Module owner = owner(name);
        owner.replace(leaf(name), value, owner.parameters.containsKey(leaf(name)));
    }

    private static String leaf(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    /** The module that owns the parameter or buffer with dotted name {@code name}. */
    private Module owner(String name) {
        Module m = this;
        int start = 0;
        for (int dot = name.indexOf('.'); dot >= 0; start = dot + 1, dot = name.indexOf('.', start)) {
            Module child = m.children.get(name.substring(start, dot));
            if (child == null) {
                throw new IllegalArgumentException("no module '" + name.substring(0, dot) + "' for " + name);
            }
            m = child;
        }
        return m;
    }

    private void replace(String name, Tensor value, boolean parameter) {
        Map<String, Tensor> table = parameter ? parameters : buffers;
        Tensor old = table.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no " + (parameter ? "parameter" : "buffer") + " '" + name + "' in "
                    + getClass().getSimpleName());
        }
        if (!old.shape().equals(value.shape())) {
            throw new IllegalArgumentException(name + " has shape " + old.shape() + ", got " + value.shape());
        }
        table.put(name, parameter ? value.detach().requiresGrad(true) : value.detach());
    }

    /** Converts every parameter and buffer to {@code dtype} (gradient checks run modules in FLOAT64); returns this. */
    public Module to(DType dtype) {
        namedTensors().forEach((name, t) -> setTensor(name, t.to(dtype).copy()));
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

    /**
     * Re-seeds like {@link #reseed(long)} for a forward pass over some rows of a batch: the inputs
     * to come are rows {@code rows} of a batch of {@code batchRows}, and each gets the dropout mask
     * its row would get in a pass over the whole batch (data-parallel training computes a batch
     * in shares that way, with the masks of one machine). The next {@link #reseed(long)} ends it.
     */
    public void reseed(long seed, int[] rows, int batchRows) {
        int i = 0;
        for (Module child : children.values()) {
            child.reseed(seed * 31 + (i++), rows, batchRows);
        }
    }
}
