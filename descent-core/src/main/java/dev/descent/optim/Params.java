package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An ordered set of named tensors: the parameters of a model, their gradients, or the
 * updates and per-parameter state of an optimizer (optax's "pytree" for a flat model).
 * Names and order are those of {@link dev.descent.nn.Module#namedParameters()}.
 */
public record Params(List<String> names, List<Tensor> tensors) {

    public Params {
        if (names.size() != tensors.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + tensors.size() + " tensors");
        }
        names = List.copyOf(names);
        tensors = List.copyOf(tensors);
    }

    /** The tensors of a name → tensor map, in its iteration order. */
    public static Params of(Map<String, Tensor> named) {
        return new Params(new ArrayList<>(named.keySet()), new ArrayList<>(named.values()));
    }

    public int size() {
        return tensors.size();
    }

    public Tensor get(int i) {
        return tensors.get(i);
    }

    public String name(int i) {
        return names.get(i);
    }

    /** Same names, each tensor replaced by {@code f(tensor)}. */
    public Params map(UnaryOperator<Tensor> f) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(f.apply(t));
        }
        return new Params(names, out);
    }

    /** Zero tensors with the shapes and types of these. */
    public Params zerosLike() {
        return map(t -> Tensor.zeros(t.dtype(), t.shape()));
    }

    /** Independent copies of these tensors. */
    public Params copy() {
        return map(Tensor::copy);
    }

    /** Name → tensor, in order. */
    public Map<String, Tensor> asMap() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            m.put(names.get(i), tensors.get(i));
        }
        return m;
    }

    /** Total number of elements. */
    public long elementCount() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.size();
        }
        return n;
    }
}
