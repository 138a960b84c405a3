package dev.descent.tensor;


import java.util.Arrays;
import java.util.List;

/**
 * The closed set of differentiable operations. A tensor made by one of them remembers it
 * (its {@link Tensor#gradFn()}), with the inputs and whatever the derivative needs; the
 * rule for each lives in {@link Derivatives}, whose {@code switch} over this sealed set
 * fails to compile when a rule is missing.
 */
public sealed interface Op {

    /** The tensors this op read, in the order {@link Derivatives} returns their gradients. */
    List<Tensor> inputs();

    /** {@code out = a ∘ b} for an arithmetic {@link BinaryOp}, with broadcasting. */
    record Binary(BinaryOp op, Tensor a, Tensor b) implements Op {
        public List<Tensor> inputs() { return List.of(a, b); }
    }

    /** {@code y = f(x)} element-wise. */
    record Unary(UnaryOp function, double alpha, Tensor x, Tensor y) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** {@code a·b} over the last two axes, batch axes broadcast. */
    record MatMul(Tensor a, Tensor b) implements Op {
        public List<Tensor> inputs() { return List.of(a, b); }
    }

    /** Fused dense layer {@code y = x·wᵀ + b} with {@code w} of shape [out, in]; {@code b} may be null. */
    record Linear(Tensor x, Tensor w, Tensor b) implements Op {
        public List<Tensor> inputs() { return b == null ? List.of(x, w) : List.of(x, w, b); }
    }

    /** Sum along one axis. */
    record Sum(Tensor x, int axis, boolean keepDim) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Maximum along one axis, output {@code y}. */
    record Max(Tensor x, int axis, boolean keepDim, Tensor y) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** {@code y = ln Σ e^x} along one axis. */
    record LogSumExp(Tensor x, int axis, boolean keepDim, Tensor y) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Softmax (or log-softmax when {@code log}) along one axis, output {@code y}. */
    record Softmax(Tensor x, int axis, boolean log, Tensor y) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /**
     * Mean softmax cross-entropy of logits {@code z} [N, C]:
     * {@code L = (1/N) Σ_i (logsumexp(z_i) − Σ_c t_ic z_ic)}, with targets given as class
     * indices ({@code labels}) or as rows of probabilities ({@code targets}); {@code probs}
     * is the softmax saved by the forward pass.
     */
    record SoftmaxCrossEntropy(Tensor logits, int[] labels, Tensor targets, Tensor probs) implements Op {
        public List<Tensor> inputs() { return List.of(logits); }
    }

    /** Same elements, new shape. */
    record Reshape(Tensor x) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Axes reordered: output axis i is input axis {@code perm[i]}. */
    record Permute(Tensor x, int[] perm) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Copy of {@code x} broadcast to a larger shape. */
    record Expand(Tensor x) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Elements {@code start..start+len-1} along {@code axis}. */
    record Slice(Tensor x, int axis, int start) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Inputs joined along {@code axis}. */
    record Concat(List<Tensor> parts, int axis) implements Op {
        public List<Tensor> inputs() { return parts; }
    }

    /** Whole slices along {@code axis} picked by {@code index} (repeats allowed). */
    record IndexSelect(Tensor x, int axis, int[] index) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
        @Override public String toString() { return "IndexSelect[axis=" + axis + ", index=" + Arrays.toString(index) + "]"; }
    }

    /** {@code out[..., j, ...] = x[..., index[..., j, ...], ...]} along {@code axis} (torch.gather). */
    record Gather(Tensor x, int axis, int[] index) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** {@code out = condition ≠ 0 ? a : b}, all three broadcast; the condition has no gradient. */
    record Where(Tensor condition, Tensor a, Tensor b) implements Op {
        public List<Tensor> inputs() { return List.of(a, b); }
    }

    /** 2-D convolution of {@code x [N, C, H, W]} with {@code w [O, C/groups, kH, kW]} and bias {@code b [O]} (may be null). */
    record Conv2d(Tensor x, Tensor w, Tensor b, Window window, int groups) implements Op {
        public List<Tensor> inputs() { return b == null ? List.of(x, w) : List.of(x, w, b); }
    }

    /** Max pooling of {@code x [N, C, H, W]}; {@code argmax} is, per output element, the flat index in its input plane. */
    record MaxPool2d(Tensor x, Window window, int[] argmax) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /** Average pooling of {@code x [N, C, H, W]}, dividing by the window area. */
    record AvgPool2d(Tensor x, Window window) implements Op {
        public List<Tensor> inputs() { return List.of(x); }
    }

    /**
     * Batch normalization {@code y = γ·x̂ + β} per channel (axis 1), with the normalized input
     * {@code x̂} and {@code 1/√(σ² + ε)} saved; {@code batchStatistics} when μ and σ² came from
     * this batch. {@code gamma} and {@code beta} may be null.
     */
    record BatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor xhat, double[] invStd, boolean batchStatistics)
            implements Op {
        public List<Tensor> inputs() {
            java.util.List<Tensor> in = new java.util.ArrayList<>(3);
            in.add(x);
            if (gamma != null) {
                in.add(gamma);
            }
            if (beta != null) {
                in.add(beta);
            }
            return in;
        }
    }

    /** Fused dense layer and ReLU {@code y = max(x·wᵀ + b, 0)}, output {@code y}; {@code b} may be null. */
    record LinearRelu(Tensor x, Tensor w, Tensor b, Tensor y) implements Op {
        public List<Tensor> inputs() { return b == null ? List.of(x, w) : List.of(x, w, b); }
    }

    /**
     * One recurrent layer in one direction ({@link Recurrence}): output {@code [B, T, H]} from
     * {@code x [B, T, F]} (or, for {@link Recurrence#forwardTokens}, from the rows of the embedding
     * table {@code x [V, F]} that the saved tokens pick) with weights {@code wIh [G·H, F]},
     * {@code wHh [G·H, H]} and biases {@code [G·H]}; {@code saved} holds the gates and states of every step.
     */
    record Recurrent(RecurrentCell cell, Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, boolean reverse,
                     Recurrence.Saved saved) implements Op {
        public List<Tensor> inputs() { return List.of(x, wIh, wHh, bIh, bHh); }
    }
}
