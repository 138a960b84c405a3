package dev.descent.nn;

import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of modules {@code y = f_n(…f_2(f_1(x)))}, applied in the order they were added.
 * Children added without a name are called {@code "0"}, {@code "1"}, … by position, so
 * their parameters read {@code "0.weight"}, {@code "2.bias"}, ….
 */
public final class Sequential extends Module {
    /** The children in order, for {@link #forward}. */
    private final List<Module> chain = new ArrayList<>();

    /** A chain of {@code modules}, named by position. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code module} named by its position; returns this. */
    public Sequential add(Module module) {
        return add(Integer.toString(children().size()), module);
    }

    /** Appends {@code module} under {@code name} (no dots, unique); returns this. */
    public Sequential add(String name, Module module) {
        registerModule(name, module);
        chain.add(module);
        return this;
    }

    /**
     * Runs the modules in order; a {@link Linear} followed by a ReLU runs as one fused op, and an
     * {@link Embedding} followed by a {@link Recurrent} layer takes the recurrent layer's input
     * projection from the table ({@link Recurrent#forwardEmbedded}).
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < chain.size(); i++) {
            Module m = chain.get(i);
            Module next = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (m instanceof Linear linear && next instanceof Activation a && a.kind() == Activation.Kind.RELU) {
                y = linear.forwardRelu(y);
                i++;
            } else if (m instanceof Embedding embedding && next instanceof Recurrent recurrent && y.rank() == 2) {
                y = recurrent.forwardEmbedded(embedding, y);
                i++;
            } else {
                y = m.forward(y);
            }
        }
        return y;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        children().forEach((name, m) -> sb.append("\n  ").append(name).append(": ").append(m));
        return sb.append("\n)").toString();
    }
}
