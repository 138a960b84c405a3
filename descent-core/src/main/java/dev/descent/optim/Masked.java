package dev.descent.optim;

import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code masked(inner, mask)}: runs {@code inner} only on the parameters whose name the mask
 * accepts (the inner transformation never sees the others, so its global quantities exclude
 * them); the other parameters pass their incoming update through unchanged:
 * {@code u_p = inner(g)_p} if {@code mask(name_p)}, else {@code g_p}. Made by
 * {@link Transforms#masked}.
 */
public final class Masked implements GradientTransformation {
    private final GradientTransformation inner;
    private final Predicate<String> mask;

    /** The state of the inner transformation, over the selected parameters only. */
    public record MaskedState(OptState inner) implements OptState {
    }

    Masked(GradientTransformation inner, Predicate<String> mask) {
        this.inner = inner;
        this.mask = mask;
    }

    @Override
    public OptState init(Params params) {
        return new MaskedState(inner.init(select(params)));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        Update r = inner.update(select(updates), ((MaskedState) state).inner(), select(params), context);
        List<Tensor> out = new ArrayList<>(updates.tensors());
        int j = 0;
        for (int i = 0; i < updates.size(); i++) {
            if (mask.test(updates.name(i))) {
                out.set(i, r.updates().get(j++));
            }
        }
        return new Update(new Params(updates.names(), out), new MaskedState(r.state()));
    }

    private Params select(Params all) {
        List<String> names = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (mask.test(all.name(i))) {
                names.add(all.name(i));
                tensors.add(all.get(i));
            }
        }
        return new Params(names, tensors);
    }
}
