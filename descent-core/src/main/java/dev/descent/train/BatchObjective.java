package dev.descent.train;

import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.ObjectiveFunction;
import dev.descent.optim.Params;
import dev.descent.tensor.Autograd;
import dev.descent.tensor.Tensor;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The training objective on one batch as a function of the parameters,
 * {@code θ ↦ loss(model_θ(inputs), targets) + penalty(θ)}, with the batch's dropout masks
 * ({@code reseed} sets them before each pass): what line searches (L-BFGS) and Polyak steps
 * evaluate at trial points. Each evaluation puts the trial values into the model and restores
 * the current ones.
 */
final class BatchObjective implements ObjectiveFunction {
    private final Module model;
    private final Loss loss;
    private final Function<Module, Tensor> penalty;
    private final Tensor inputs;
    private final Tensor targets;
    private final Runnable reseed;

    /** The objective of {@code inputs}/{@code targets}; {@code penalty} may be null (none). */
    BatchObjective(Module model, Loss loss, Function<Module, Tensor> penalty, Tensor inputs, Tensor targets, Runnable reseed) {
        this.model = model;
        this.loss = loss;
        this.penalty = penalty;
        this.inputs = inputs;
        this.targets = targets;
        this.reseed = reseed;
    }

    private Tensor objective() {
        reseed.run();
        Tensor l = loss.apply(model.forward(inputs), targets);
        return penalty == null ? l : l.add(penalty.apply(model));
    }

    @Override
    public double applyAsDouble(Params at) {
        return withParameters(at, () -> {
            try (var scope = Autograd.noGrad()) {
                return objective().item();
            }
        });
    }

    @Override
    public Params gradient(Params at) {
        List<Tensor> params = model.parameters();
        List<Tensor> savedGrads = params.stream().map(p -> p.grad() == null ? null : p.grad().copy()).toList();
        try {
            return withParameters(at, () -> {
                model.zeroGrad();
                objective().backward();
                return Params.of(model.namedParameters()).map(p -> p.grad() == null
                        ? Tensor.zeros(p.dtype(), p.shape()) : p.grad().copy());
            });
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setGrad(savedGrads.get(i));
            }
        }
    }

    private <T> T withParameters(Params at, Supplier<T> body) {
        List<Tensor> params = model.parameters();
        List<Tensor> saved = params.stream().map(Tensor::copy).toList();
        try {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).copyFromInPlace(at.get(i));
            }
            return body.get();
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).copyFromInPlace(saved.get(i));
            }
        }
    }
}
