package dev.descent.tensor;


import java.util.List;

/**
 * The table of derivative rules, one case per {@link Op}: given the gradient {@code g} of an
 * op's output, each case returns the gradients of its inputs (the vector–Jacobian product).
 * Broadcast inputs get {@code g} summed back to their shape ({@link Tensor#sumTo}).
 * Element-wise functions take their derivative from {@link dev.descent.tensor.UnaryOp}.
 * Rules run with recording off, so the returned tensors carry no history.
 */
public final class Derivatives {
    private Derivatives() {
    }

    /** Gradients of {@code op}'s inputs, in the order of {@link Op#inputs()} (null where none is needed). */
    public static Tensor[] backward(Op op, Tensor out, Tensor g) {
        return switch (op) {
            case Op.Binary(var kind, Tensor a, Tensor b) -> switch (kind) {
                // d(a+b) = da + db
                case ADD -> grads(a.requiresGrad() ? g.sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.sumTo(b.shape()) : null);
                // d(a−b) = da − db
                case SUB -> grads(a.requiresGrad() ? g.sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.neg().sumTo(b.shape()) : null);
                // d(a·b) = b·da + a·db
                case MUL -> grads(a.requiresGrad() ? g.mul(b).sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.mul(a).sumTo(b.shape()) : null);
                // d(a/b) = da/b − a/b²·db
                case DIV -> grads(a.requiresGrad() ? g.div(b).sumTo(a.shape()) : null,
                        b.requiresGrad() ? g.mul(a).div(b.square()).neg().sumTo(b.shape()) : null);
                // max(a,b): to a where a ≥ b, else to b
                case MAXIMUM -> split(g, a.ge(b), a, b);
                // min(a,b): to a where a ≤ b, else to b
                case MINIMUM -> split(g, a.le(b), a, b);
                case GREATER, GREATER_EQUAL, LESS, LESS_EQUAL, EQUAL ->
                        throw new IllegalStateException("comparison " + kind + " has no gradient");
            };
            // d f(x) = f'(x)·dx
            case Op.Unary(var function, double alpha, Tensor x, Tensor y) -> {
                Tensor gx = Tensor.forOverwrite(x.dtype(), x.shape()); // the kernel writes every element
                Kernels.of(x.dtype()).unaryBackward(function, alpha, x.storage(), y.storage(), g.storage(), gx.storage());
                yield grads(gx);
            }
            // C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC
            case Op.MatMul(Tensor a, Tensor b) -> grads(
                    a.requiresGrad() ? g.matmul(b.transpose(-1, -2)).sumTo(a.shape()) : null,
                    b.requiresGrad() ? a.transpose(-1, -2).matmul(g).sumTo(b.shape()) : null);
            // y = x·wᵀ + b: dx = dy·w, dw = dyᵀ·x, db = Σ_rows dy
            case Op.Linear(Tensor x, Tensor w, Tensor b) -> linear(x, w, b, g);
            // Σ along an axis: the gradient is copied back along it
            case Op.Sum(Tensor x, int axis, boolean keepDim) -> grads(keep(g, x, axis, keepDim).expand(x.shape()));
            // max along an axis: to the maximal entries, shared on ties
            case Op.Max(Tensor x, int axis, boolean keepDim, Tensor y) -> {
                Tensor mask = x.eq(keep(y, x, axis, keepDim));
                yield grads(mask.mul(keep(g, x, axis, keepDim)).div(mask.sum(axis, true)));
            }
            // d logsumexp(x) = softmax(x)·dx
            case Op.LogSumExp(Tensor x, int axis, boolean keepDim, Tensor y) ->
                    grads(x.sub(keep(y, x, axis, keepDim)).exp().mul(keep(g, x, axis, keepDim)));
            // softmax: dx = y·(g − Σ g·y); log-softmax: dx = g − e^y·Σ g
            case Op.Softmax(Tensor x, int axis, boolean log, Tensor y) -> log
                    ? grads(g.sub(y.exp().mul(g.sum(axis, true))))
                    : grads(y.mul(g.sub(g.mul(y).sum(axis, true))));
            // cross-entropy: dz = (softmax(z)·Σ_c t − t)/N
            case Op.SoftmaxCrossEntropy(Tensor logits, int[] labels, Tensor targets, Tensor probs) ->
                    grads(crossEntropy(logits, labels, targets, probs, g.item()));
            case Op.Reshape(Tensor x) -> grads(g.reshape(x.dims()));
            case Op.Permute(Tensor x, int[] perm) -> grads(g.permute(inverse(perm)));
            case Op.Expand(Tensor x) -> grads(g.sumTo(x.shape()));
            // slice: the gradient lands in the sliced region, zero elsewhere
            case Op.Slice(Tensor x, int axis, int start) -> {
                Tensor gx = Tensor.zeros(x.dtype(), x.shape());
                int[] strides = x.shape().strides();
                Kernels.of(x.dtype()).copy(g.storage(), 0, g.shape().strides(), gx.storage(), start * strides[axis],
                        strides, g.dims());
                yield grads(gx);
            }
            // concat: each part gets its slice of the gradient
            case Op.Concat(List<Tensor> parts, int axis) -> {
                Tensor[] pieces = new Tensor[parts.size()];
                int at = 0;
                for (int i = 0; i < pieces.length; i++) {
                    int len = parts.get(i).dim(axis);
                    pieces[i] = g.slice(axis, at, at + len);
                    at += len;
                }
                yield pieces;
            }
            // index-select and gather: the gradient is added back at the picked positions
            case Op.IndexSelect(Tensor x, int axis, int[] index) -> grads(scatterAdd(x, axis, g, (o, j, i) -> index[j]));
            case Op.Gather(Tensor x, int axis, int[] index) -> {
                int k = g.dim(axis), inner = g.shape().inner(axis);
                yield grads(scatterAdd(x, axis, g, (o, j, i) -> index[(o * k + j) * inner + i]));
            }
            // where: the gradient goes to the operand that was chosen
            case Op.Where(Tensor condition, Tensor a, Tensor b) -> {
                Tensor zero = Tensor.scalar(0, g.dtype());
                yield grads(a.requiresGrad() ? Tensor.where(condition, g, zero).sumTo(a.shape()) : null,
                        b.requiresGrad() ? Tensor.where(condition, zero, g).sumTo(b.shape()) : null);
            }
            // y = W ⋆ x + b: dW = Σ_n dY·X_colᵀ, dX = col2im(Wᵀ·dY), db = Σ dY (Convolution)
            case Op.Conv2d(Tensor x, Tensor w, Tensor b, var window, int groups) ->
                    Convolution.backward(x, w, b, window, groups, g);
            // max pooling: to the input that was the maximum
            case Op.MaxPool2d(Tensor x, var window, int[] argmax) -> grads(Pooling.maxPoolBackward(x, argmax, g));
            // average pooling: spread evenly over the window
            case Op.AvgPool2d(Tensor x, var window) -> grads(Pooling.avgPoolBackward(x, window, g));
            // batch norm (BatchNormalization): dx = γ/(M·σ)·(M·g − Σg − x̂·Σg·x̂), dγ = Σ g·x̂, dβ = Σ g
            case Op.BatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor xhat, double[] invStd, boolean batch) ->
                    BatchNormalization.backward(x, gamma, beta, xhat, invStd, batch, g);
            // y = max(x·wᵀ + b, 0): dz = dy where y > 0, then as Linear with dz (db = Σ_rows dz, same pass)
            case Op.LinearRelu(Tensor x, Tensor w, Tensor b, Tensor y) -> linearRelu(x, w, b, y, g);
            // recurrent layer, backpropagation through time (Recurrence): ∂A_s from the cell, ∂h_{s−1} = ∂A_s·W_hh,
            // ∂W_ih = ∂Aᵀ·X, ∂W_hh = ∂Aᵀ·H_prev, ∂b = Σ ∂A, ∂X = ∂A·W_ih
            case Op.Recurrent r -> Recurrence.backward(r, g);
        };
    }

    private static Tensor[] grads(Tensor... g) {
        return g;
    }

    private static Tensor[] split(Tensor g, Tensor toA, Tensor a, Tensor b) {
        Tensor ga = g.mul(toA);
        return grads(a.requiresGrad() ? ga.sumTo(a.shape()) : null, b.requiresGrad() ? g.sub(ga).sumTo(b.shape()) : null);
    }

    /** {@code t} (a reduction of {@code x} along {@code axis}) with the axis kept as size 1. */
    private static Tensor keep(Tensor t, Tensor x, int axis, boolean keepDim) {
        return keepDim ? t : t.reshape(x.shape().with(axis, 1).dims());
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    private static Tensor[] linear(Tensor x, Tensor w, Tensor b, Tensor g) {
        Tensor gb = null;
        if (b != null && b.requiresGrad()) {
            gb = Tensor.zeros(b.dtype(), b.shape());
            Kernels.of(x.dtype()).reduce(dev.descent.tensor.ReduceOp.SUM, g.storage(), 1, g.size() / w.dim(0), w.dim(0),
                    gb.storage());
        }
        return linearGrads(x, w, b, g, gb);
    }

    private static Tensor[] linearRelu(Tensor x, Tensor w, Tensor b, Tensor y, Tensor g) {
        Tensor gz = Tensor.forOverwrite(g.dtype(), g.shape());
        Tensor gb = b != null && b.requiresGrad() ? Tensor.zeros(b.dtype(), b.shape()) : null;
        Kernels.of(x.dtype()).biasReluBackward(y.storage(), g.storage(), gz.storage(), gb == null ? null : gb.storage(),
                g.size() / w.dim(0), w.dim(0));
        return linearGrads(x, w, b, gz, gb);
    }

    /** The dense layer's gradients for the output gradient {@code g}: dx = g·w, dw = gᵀ·x, and the given db. */
    private static Tensor[] linearGrads(Tensor x, Tensor w, Tensor b, Tensor g, Tensor gb) {
        int in = w.dim(1), outF = w.dim(0), rows = x.size() / Math.max(1, in);
        Kernels k = Kernels.of(x.dtype());
        Tensor gx = null, gw = null;
        if (x.requiresGrad()) {
            gx = Tensor.forOverwrite(x.dtype(), x.shape());
            k.matmul(g.storage(), 0, false, w.storage(), 0, false, gx.storage(), 0, rows, outF, in);
        }
        if (w.requiresGrad()) {
            gw = Tensor.forOverwrite(w.dtype(), w.shape());
            k.matmul(g.storage(), 0, true, x.storage(), 0, false, gw.storage(), 0, outF, rows, in);
        }
        return b == null ? grads(gx, gw) : grads(gx, gw, gb);
    }

    private static Tensor crossEntropy(Tensor logits, int[] labels, Tensor targets, Tensor probs, double g) {
        int n = logits.dim(0), c = logits.dim(1);
        double scale = g / Math.max(1, n);
        Tensor gz = Tensor.zeros(logits.dtype(), logits.shape());
        Storage p = probs.storage(), out = gz.storage();
        for (int i = 0; i < n; i++) {
            double mass = 1;
            if (targets != null) {
                mass = 0;
                for (int j = 0; j < c; j++) {
                    mass += targets.storage().get(i * c + j);
                }
            }
            for (int j = 0; j < c; j++) {
                int at = i * c + j;
                double t = targets != null ? targets.storage().get(at) : (labels[i] == j ? 1 : 0);
                out.set(at, scale * (p.get(at) * mass - t));
            }
        }
        return gz;
    }

    /** Position along the axis that output element {@code (o, j, i)} was read from. */
    private interface SourceIndex {
        int of(int outer, int j, int inner);
    }

    /** {@code gx[o, src(o,j,i), i] += g[o, j, i]}, viewing both as {@code [outer, axis, inner]}. */
    private static Tensor scatterAdd(Tensor x, int axis, Tensor g, SourceIndex src) {
        Shape s = x.shape();
        int outer = s.outer(axis), inner = s.inner(axis), len = s.dim(axis), k = g.dim(axis);
        Tensor gx = Tensor.zeros(x.dtype(), s);
        Storage in = g.storage(), out = gx.storage();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < inner; i++) {
                    int at = (o * len + src.of(o, j, i)) * inner + i;
                    out.set(at, out.get(at) + in.get((o * k + j) * inner + i));
                }
            }
        }
        return gx;
    }
}
