package dev.descent.nn;

import dev.descent.tensor.Autograd;
import dev.descent.autograd.GradCheck;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link GradCheck} through a module, with respect to its input and all its parameters, in
 * double precision. GradCheck differentiates fresh copies of its inputs, while
 * {@link Module#setParameter} registers a detached view of a value: the view shares the
 * copy's storage (so finite differences see the perturbations) and, on the recording call,
 * the same gradient tensor, so backpropagation accumulates into the gradient GradCheck reads.
 */
public final class ModuleGradCheck {
    private ModuleGradCheck() {
    }

    /** Checks {@code f(input)}, which evaluates {@code module}; a null input checks the parameters only. */
    public static void assertGradients(Module module, Tensor input, Function<Tensor, Tensor> f) {
        module.to(DType.FLOAT64);
        List<String> names = new ArrayList<>(module.namedParameters().keySet());
        List<Tensor> inputs = new ArrayList<>();
        if (input != null) {
            inputs.add(input);
        }
        inputs.addAll(module.namedParameters().values());
        int first = input == null ? 0 : 1;
        GradCheck.assertGradients(xs -> {
            if (Autograd.isEnabled()) {
                for (int k = 0; k < names.size(); k++) {
                    Tensor x = xs.get(first + k);
                    module.setParameter(names.get(k), x);
                    Tensor shared = Tensor.zeros(DType.FLOAT64, x.shape());
                    x.setGrad(shared);
                    module.namedParameters().get(names.get(k)).setGrad(shared);
                }
            }
            return f.apply(input == null ? null : xs.get(0));
        }, inputs);
    }
}
