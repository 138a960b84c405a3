package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code chain(T1, …, Tn)}: feeds the updates through each transformation in turn,
 * {@code u = Tn(…T2(T1(g)))}; every element sees the same parameters and context.
 * Made by {@link Transforms#chain}.
 */
public final class Chain implements GradientTransformation {
    private final List<GradientTransformation> elements;

    /** The states of the elements, in chain order. */
    public record ChainState(List<OptState> states) implements OptState {
        public ChainState {
            states = List.copyOf(states);
        }
    }

    Chain(List<GradientTransformation> elements) {
        this.elements = List.copyOf(elements);
    }

    @Override
    public OptState init(Params params) {
        List<OptState> states = new ArrayList<>(elements.size());
        for (GradientTransformation t : elements) {
            states.add(t.init(params));
        }
        return new ChainState(states);
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        List<OptState> in = ((ChainState) state).states();
        if (in.size() != elements.size()) {
            throw new IllegalArgumentException("chain of " + elements.size() + " given a state of " + in.size());
        }
        List<OptState> out = new ArrayList<>(elements.size());
        Params u = updates;
        for (int i = 0; i < elements.size(); i++) {
            Update r = elements.get(i).update(u, in.get(i), params, context);
            u = r.updates();
            out.add(r.state());
        }
        return new Update(u, new ChainState(out));
    }
}
