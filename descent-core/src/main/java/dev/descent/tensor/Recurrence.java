package dev.descent.tensor;


/**
 * One recurrent layer in one direction over a batch of sequences {@code x [B, T, F]}: the
 * {@link RecurrentCell} applied at every step, {@code h_t = cell(x_t, h_{t−1})} (the LSTM carries
 * {@code c_t} too), from the initial state {@code h_0} (zero unless given), the output being every
 * step's {@code h_t}, {@code [B, T, H]}; with {@code reverse} the steps run from {@code t = T−1}
 * down to 0 (the backward direction of a bidirectional layer) and the output keeps the input's
 * time order. Weights are PyTorch's: {@code W_ih [G·H, F]}, {@code W_hh [G·H, H]},
 * {@code b_ih}, {@code b_hh [G·H]}.
 *
 * <p>The layer is one op ({@link Op.Recurrent}), differentiated by backpropagation through time:
 * <pre>
 *   forward:  A = X·W_ihᵀ                       one product over all T·B rows
 *             for each step s: A_s += h_s·W_hhᵀ (+ biases); gates and states by the cell
 *   backward: for s = T−1 … 0: ∂A_s by the cell (∂h_s from above and from step s+1),
 *                               ∂h_{s−1} = ∂A_s·W_hh
 *             ∂W_ih = ∂Aᵀ·X,  ∂W_hh = ∂Aᵀ·H_prev,  ∂b = Σ_rows ∂A,  ∂X = ∂A·W_ih   (whole-sequence products;
 *             the weight gradients as one product [X | H_prev]ᵀ·∂A, transposed, except for the GRU)
 * </pre>
 * (the GRU's hidden-side ∂A differs from its input-side one in the n gate; see
 * {@link ReferenceRecurrentKernels}). Buffers are time-major in processing order, so each step's
 * rows are contiguous. The per-step product uses {@code W_hh} prepared once per pass (packed, for
 * floats), the gate nonlinearities are one pass per step ({@link RecurrentKernels}), and blocks of
 * batch rows run whole sequences on different threads of the {@link Parallel} pool: every row's
 * arithmetic is the same whatever the split, so results do not depend on the thread count.
 * Buffers come from the active {@link Workspace} when there is one; nothing is allocated per step.
 * The initial states receive no gradient.
 */
public final class Recurrence {
    private Recurrence() {
    }

    /**
     * The output {@code [B, T, H]} (recorded for backpropagation), and the states after the last
     * step processed, {@code h} and (LSTM only, else null) {@code c}, {@code [B, H]} and unrecorded.
     */
    public record Result(Tensor output, Tensor h, Tensor c) {
    }

    /**
     * What the backward pass reads from the forward pass (opaque outside this package): the
     * buffers, and the time-major inputs, or for a layer fed from an embedding table the token
     * of each time-major row.
     */
    public static final class Saved {
        final RecurrentKernels.Buffers buffers;
        final Storage inputs;
        final int[] tokens;
        final int steps;

        private Saved(RecurrentKernels.Buffers buffers, Storage inputs, int[] tokens, int steps) {
            this.buffers = buffers;
            this.inputs = inputs;
            this.tokens = tokens;
            this.steps = steps;
        }
    }

    /**
     * Runs the layer. {@code h0} and {@code c0} ({@code [B, H]}, LSTM only for {@code c0}) may be
     * null for zero initial states. Shapes that do not fit throw {@link IllegalArgumentException}.
     */
    public static Result forward(RecurrentCell cell, Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                                 Tensor h0, Tensor c0, boolean reverse) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("a recurrent layer wants input [batch, time, features], got " + x.shape());
        }
        check(cell, x.dim(0), x.dim(2), x.dtype(), wIh, wHh, bIh, bHh, h0, c0);
        int batch = x.dim(0), steps = x.dim(1), features = x.dim(2), width = wIh.dim(0);
        DType dtype = x.dtype();
        Kernels kernels = Kernels.of(dtype);
        Storage inputs = Storage.allocateForOverwrite(dtype, steps * batch * features);
        timeMajor(kernels, x.storage(), batch, steps, features, reverse, inputs);
        Storage gates = Storage.allocateForOverwrite(dtype, steps * batch * width);
        kernels.matmul(inputs, 0, false, wIh.storage(), 0, true, gates, 0, steps * batch, features, width);
        return run(cell, x, inputs, null, gates, batch, steps, wIh, wHh, bIh, bHh, h0, c0, reverse);
    }

    /**
     * Runs the layer on the rows of an embedding table {@code E [V, F]} that token ids pick: the
     * input at batch row b and step t is {@code E[ids[b·T + t]]}. The same as {@link #forward} on
     * those rows, computed as {@code x·W_ihᵀ = (E·W_ihᵀ)[id]}: one product of the table's V rows
     * rather than of all T·B inputs, and in the backward pass
     * {@code ∂E = ∂P·W_ih}, {@code ∂W_ih = ∂Pᵀ·E} with {@code ∂P[v] = Σ_{rows of token v} ∂A}.
     * The table receives the gradient; ids must lie in {@code [0, V)}.
     */
    public static Result forwardTokens(RecurrentCell cell, int[] ids, int batch, int steps, Tensor table, Tensor wIh,
                                       Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0, boolean reverse) {
        if (table.rank() != 2 || ids.length != batch * steps) {
            throw new IllegalArgumentException("a recurrent layer over an embedding wants a table [V, F] and " + batch
                    + "·" + steps + " ids, got " + table.shape() + " and " + ids.length + " ids");
        }
        check(cell, batch, table.dim(1), table.dtype(), wIh, wHh, bIh, bHh, h0, c0);
        int vocabulary = table.dim(0), width = wIh.dim(0);
        int[] tokens = new int[ids.length];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            for (int b = 0; b < batch; b++) {
                tokens[s * batch + b] = ids[b * steps + t];
                if (tokens[s * batch + b] < 0 || tokens[s * batch + b] >= vocabulary) {
                    throw new IllegalArgumentException("id " + tokens[s * batch + b] + " is outside the table of " + vocabulary);
                }
            }
        }
        DType dtype = table.dtype();
        Kernels kernels = Kernels.of(dtype);
        Storage projected = Storage.allocateForOverwrite(dtype, vocabulary * width);
        kernels.matmul(table.storage(), 0, false, wIh.storage(), 0, true, projected, 0, vocabulary, table.dim(1), width);
        Storage gates = Storage.allocateForOverwrite(dtype, steps * batch * width);
        RecurrentKernels.of(dtype).gatherRows(projected, tokens, width, gates);
        return run(cell, table, null, tokens, gates, batch, steps, wIh, wHh, bIh, bHh, h0, c0, reverse);
    }

    /** The steps of the layer from {@code gates} holding every row's input projection; records the op. */
    private static Result run(RecurrentCell cell, Tensor x, Storage inputs, int[] tokens, Storage gates, int batch,
                              int steps, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0,
                              boolean reverse) {
        int hidden = wHh.dim(1), width = cell.gates() * hidden;
        DType dtype = x.dtype();
        Kernels kernels = Kernels.of(dtype);
        RecurrentKernels recurrent = RecurrentKernels.of(dtype);
        Storage h = Storage.allocate(dtype, (steps + 1) * batch * hidden);
        Storage c = cell == RecurrentCell.LSTM ? Storage.allocate(dtype, (steps + 1) * batch * hidden) : null;
        Storage aux = cell == RecurrentCell.RNN ? null : Storage.allocateForOverwrite(dtype, steps * batch * hidden);
        copyInto(kernels, h0, h);
        copyInto(kernels, c0, c);
        RecurrentKernels.Buffers buffers = RecurrentKernels.Buffers.forward(cell, batch, hidden, gates, h, c, aux);

        Storage hw = Storage.allocate(dtype, batch * width); // zero: the product with a zero h_0 is skipped
        RecurrentKernels.Right wHhT = recurrent.prepare(wHh.storage(), true, hidden, width);
        boolean zeroStart = h0 == null;
        Parallel.forRange(batch, rowsPerTask(batch), (from, to) -> {
            for (int s = 0; s < steps; s++) {
                if (s > 0 || !zeroStart) {
                    wHhT.multiply(h, buffers.stateRow(s, from), hw, from * width, to - from, false);
                }
                recurrent.forward(buffers, s, from, to - from, hw, bIh.storage(), bHh.storage());
            }
        });

        Tensor output = Tensor.forOverwrite(dtype, Shape.of(batch, steps, hidden));
        batchMajor(kernels, h, buffers.stateRow(1, 0), batch, steps, hidden, reverse, output.storage());
        if (Autograd.shouldRecord(x, wIh, wHh, bIh, bHh)) {
            output.record(new Op.Recurrent(cell, x, wIh, wHh, bIh, bHh, reverse, new Saved(buffers, inputs, tokens, steps)));
        }
        return new Result(output, lastState(kernels, h, buffers, steps), c == null ? null : lastState(kernels, c, buffers, steps));
    }

    /**
     * Gradients of {@code x} (or of the embedding table), {@code W_ih}, {@code W_hh}, {@code b_ih}
     * and {@code b_hh} for the output gradient {@code g}.
     */
    public static Tensor[] backward(Op.Recurrent op, Tensor g) {
        Saved saved = op.saved();
        RecurrentKernels.Buffers forward = saved.buffers;
        RecurrentCell cell = op.cell();
        int batch = forward.batch(), steps = saved.steps, hidden = forward.hidden(), features = op.x().dim(-1);
        int width = cell.gates() * hidden, rows = steps * batch;
        DType dtype = g.dtype();
        Kernels kernels = Kernels.of(dtype);
        RecurrentKernels recurrent = RecurrentKernels.of(dtype);

        Storage dOut = Storage.allocateForOverwrite(dtype, rows * hidden);
        timeMajor(kernels, g.storage(), batch, steps, hidden, op.reverse(), dOut);
        Storage dGates = Storage.allocateForOverwrite(dtype, rows * width);
        Storage dHidden = cell == RecurrentCell.GRU ? Storage.allocateForOverwrite(dtype, rows * width) : dGates;
        RecurrentKernels.Buffers b = forward.withGradients(dOut, dGates, dHidden);
        Storage dh = Storage.allocate(dtype, batch * hidden);
        Storage dc = cell == RecurrentCell.LSTM ? Storage.allocate(dtype, batch * hidden) : null;
        RecurrentKernels.Right wHh = recurrent.prepare(op.wHh().storage(), false, width, hidden);
        Parallel.forRange(batch, rowsPerTask(batch), (from, to) -> {
            for (int s = steps - 1; s >= 0; s--) {
                recurrent.backward(b, s, from, to - from, dh, dc);
                if (s > 0) { // the initial state takes no gradient
                    wHh.multiply(dHidden, b.gateRow(s, from), dh, from * hidden, to - from, cell == RecurrentCell.GRU);
                }
            }
        });

        if (saved.tokens != null) {
            return tokenGradients(op, saved, dGates, dHidden, rows, width);
        }
        Tensor dx = null, dWih = null, dWhh = null;
        if (op.x().requiresGrad()) {
            Storage dInputs = Storage.allocateForOverwrite(dtype, rows * features);
            kernels.matmul(dGates, 0, false, op.wIh().storage(), 0, false, dInputs, 0, rows, width, features);
            dx = Tensor.forOverwrite(dtype, op.x().shape());
            batchMajor(kernels, dInputs, 0, batch, steps, features, op.reverse(), dx.storage());
        }
        if (op.wIh().requiresGrad() || op.wHh().requiresGrad()) {
            dWih = Tensor.forOverwrite(dtype, op.wIh().shape());
            dWhh = Tensor.forOverwrite(dtype, op.wHh().shape());
            if (dHidden == dGates) { // one product for both: [X | H_prev]ᵀ·∂A
                Storage joined = Storage.allocateForOverwrite(dtype, rows * (features + hidden));
                kernels.copy(saved.inputs, 0, new int[] {features, 1}, joined, 0, new int[] {features + hidden, 1},
                        new int[] {rows, features});
                kernels.copy(forward.h(), 0, new int[] {hidden, 1}, joined, features, new int[] {features + hidden, 1},
                        new int[] {rows, hidden});
                Storage product = weightGradientsTransposed(kernels, joined, features + hidden, dGates, rows, width);
                transpose(kernels, product, 0, features, width, dWih.storage());
                transpose(kernels, product, features * width, hidden, width, dWhh.storage());
            } else {
                transpose(kernels, weightGradientsTransposed(kernels, saved.inputs, features, dGates, rows, width), 0,
                        features, width, dWih.storage());
                transpose(kernels, weightGradientsTransposed(kernels, forward.h(), hidden, dHidden, rows, width), 0,
                        hidden, width, dWhh.storage());
            }
        }
        return new Tensor[] {dx, op.wIh().requiresGrad() ? dWih : null, op.wHh().requiresGrad() ? dWhh : null,
                columnSums(kernels, dGates, rows, width, op.bIh()), columnSums(kernels, dHidden, rows, width, op.bHh())};
    }

    /** The gradients of a layer fed from an embedding table: {@code ∂P} by token, then ∂E, ∂W_ih from it. */
    private static Tensor[] tokenGradients(Op.Recurrent op, Saved saved, Storage dGates, Storage dHidden, int rows,
                                           int width) {
        Tensor table = op.x();
        int vocabulary = table.dim(0), features = table.dim(1), hidden = saved.buffers.hidden();
        DType dtype = table.dtype();
        Kernels kernels = Kernels.of(dtype);
        Storage dProjected = Storage.allocate(dtype, vocabulary * width);
        RecurrentKernels.of(dtype).scatterAddRows(dGates, saved.tokens, width, dProjected);
        Tensor dTable = null, dWih = null, dWhh = null;
        if (table.requiresGrad()) {
            dTable = Tensor.forOverwrite(dtype, table.shape());
            kernels.matmul(dProjected, 0, false, op.wIh().storage(), 0, false, dTable.storage(), 0, vocabulary, width, features);
        }
        if (op.wIh().requiresGrad()) {
            dWih = Tensor.forOverwrite(dtype, op.wIh().shape());
            kernels.matmul(dProjected, 0, true, table.storage(), 0, false, dWih.storage(), 0, width, vocabulary, features);
        }
        if (op.wHh().requiresGrad()) {
            dWhh = Tensor.forOverwrite(dtype, op.wHh().shape());
            transpose(kernels, weightGradientsTransposed(kernels, saved.buffers.h(), hidden, dHidden, rows, width), 0,
                    hidden, width, dWhh.storage());
        }
        return new Tensor[] {dTable, dWih, dWhh, columnSums(kernels, dGates, rows, width, op.bIh()),
                columnSums(kernels, dHidden, rows, width, op.bHh())};
    }

    /**
     * {@code Vᵀ·∂A} ({@code [n, G·H]}) for the rows {@code V [T·B, n]} a weight multiplies: the
     * weight's gradient transposed. The product this way round packs the tall {@code ∂A} once, as
     * Gemm's right operand, where {@code ∂Aᵀ·V} packed it transposed, which ran at half the speed.
     */
    private static Storage weightGradientsTransposed(Kernels k, Storage v, int n, Storage dA, int rows, int width) {
        Storage product = Storage.allocateForOverwrite(dA.dtype(), n * width);
        k.matmul(v, 0, true, dA, 0, false, product, 0, n, rows, width);
        return product;
    }

    /** {@code out [width, n] = (in[offset…] as [n, width])ᵀ}. */
    private static void transpose(Kernels k, Storage in, int offset, int n, int width, Storage out) {
        k.copy(in, offset, new int[] {1, width}, out, 0, new int[] {n, 1}, new int[] {width, n});
    }

    /** {@code Σ_rows a}, the bias gradient, or null when {@code bias} needs none. */
    private static Tensor columnSums(Kernels kernels, Storage a, int rows, int width, Tensor bias) {
        if (!bias.requiresGrad()) {
            return null;
        }
        Tensor sums = Tensor.forOverwrite(bias.dtype(), bias.shape());
        kernels.reduce(ReduceOp.SUM, a, 1, rows, width, sums.storage());
        return sums;
    }

    /** Rows of the batch per task: the batch split evenly among the threads. */
    private static int rowsPerTask(int batch) {
        return Math.max(1, (batch + Parallel.threads() - 1) / Parallel.threads());
    }

    /** Copies {@code x [B, T, F]} to time-major rows {@code [T·B, F]} in processing order. */
    private static void timeMajor(Kernels k, Storage x, int batch, int steps, int width, boolean reverse, Storage out) {
        k.copy(x, reverse ? (steps - 1) * width : 0, new int[] {reverse ? -width : width, steps * width, 1},
                out, 0, new int[] {batch * width, width, 1}, new int[] {steps, batch, width});
    }

    /** The inverse of {@link #timeMajor}: rows {@code [T·B, F]} from {@code offset} back to {@code [B, T, F]}. */
    private static void batchMajor(Kernels k, Storage rows, int offset, int batch, int steps, int width, boolean reverse,
                                   Storage out) {
        k.copy(rows, offset, new int[] {batch * width, width, 1},
                out, reverse ? (steps - 1) * width : 0, new int[] {reverse ? -width : width, steps * width, 1},
                new int[] {steps, batch, width});
    }

    /** Copies an initial state into slot 0 of a state buffer (left zero when the state is null). */
    private static void copyInto(Kernels k, Tensor state, Storage states) {
        if (state != null) {
            k.copy(state.storage(), 0, new int[] {1}, states, 0, new int[] {1}, new int[] {state.size()});
        }
    }

    private static Tensor lastState(Kernels k, Storage states, RecurrentKernels.Buffers b, int steps) {
        Tensor last = Tensor.zeros(states.dtype(), Shape.of(b.batch(), b.hidden()));
        k.copy(states, b.stateRow(steps, 0), new int[] {1}, last.storage(), 0, new int[] {1}, new int[] {last.size()});
        return last;
    }

    /** Checks the weights and states of a layer over {@code batch} sequences of {@code features} values of type {@code dtype}. */
    private static void check(RecurrentCell cell, int batch, int features, DType dtype, Tensor wIh, Tensor wHh, Tensor bIh,
                              Tensor bHh, Tensor h0, Tensor c0) {
        if (wIh.rank() != 2 || wHh.rank() != 2) {
            throw new IllegalArgumentException("a recurrent layer wants weights [G·H, F] and [G·H, H], got "
                    + wIh.shape() + " and " + wHh.shape());
        }
        int hidden = wHh.dim(1), width = cell.gates() * hidden;
        if (wHh.dim(0) != width || wIh.dim(0) != width || wIh.dim(1) != features
                || !bIh.shape().equals(Shape.of(width)) || !bHh.shape().equals(Shape.of(width))) {
            throw new IllegalArgumentException(cell + " over " + features + " features with hidden size " + hidden
                    + " wants W_ih [" + width + ", " + features + "], W_hh [" + width + ", " + hidden + "] and biases ["
                    + width + "], got " + wIh.shape() + ", " + wHh.shape() + ", " + bIh.shape() + " and " + bHh.shape());
        }
        for (Tensor state : new Tensor[] {h0, c0}) {
            if (state != null && !state.shape().equals(Shape.of(batch, hidden))) {
                throw new IllegalArgumentException("an initial state of " + cell + " must be [" + batch + ", " + hidden
                        + "], got " + state.shape());
            }
        }
        if (c0 != null && cell != RecurrentCell.LSTM) {
            throw new IllegalArgumentException(cell + " has no cell state");
        }
        for (Tensor t : new Tensor[] {wIh, wHh, bIh, bHh, h0, c0}) {
            if (t != null && t.dtype() != dtype) {
                throw new IllegalArgumentException("a recurrent layer's input, weights and states must have one dtype");
            }
        }
    }
}
