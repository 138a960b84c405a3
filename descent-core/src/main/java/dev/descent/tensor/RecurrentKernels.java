package dev.descent.tensor;

/**
 * The loops of {@link Recurrence} that run once per time step: the recurrent matrix product
 * against a weight prepared once per sequence, and a cell's gate nonlinearities in one pass
 * over its rows, forward and backward. {@link ReferenceRecurrentKernels} writes the formulas
 * plainly (and computes every {@link DType#FLOAT64} layer); {@link VectorRecurrentKernels}
 * computes {@link DType#FLOAT32} layers with SIMD and packed weights and is tested against it.
 * Every loop works on the rows {@code [row0, row0 + rows)} of the batch only, so that
 * {@link Recurrence} can run blocks of rows on different threads.
 */
interface RecurrentKernels {

    /**
     * The buffers of one layer and direction over a batch of {@code B} sequences of {@code T}
     * steps, time-major in processing order (step {@code s} holds rows {@code s·B … s·B + B − 1}),
     * with {@code G = cell.gates()} gate blocks of {@code H} columns:
     * <ul>
     *   <li>{@code gates [T·B, G·H]}: on entry to step s, {@code x_s·W_ihᵀ} for the step; after
     *       it, the gate values (LSTM i, f, g, o; GRU r, z, n; RNN h');</li>
     *   <li>{@code h [(T+1)·B, H]}: the initial state in slot 0, then the state after each step;</li>
     *   <li>{@code c [(T+1)·B, H]}: the LSTM's cell state likewise (null for other cells);</li>
     *   <li>{@code aux [T·B, H]}: LSTM {@code tanh(c')}, GRU {@code W_hn h + b_hn} (null for RNN);</li>
     *   <li>backward only: {@code dOut [T·B, H]}, the gradient reaching each output from above;
     *       {@code dGates [T·B, G·H]}, the gradient of the input-side pre-activations
     *       ({@code x·W_ihᵀ + b_ih}); {@code dHidden}, that of the hidden-side ones
     *       ({@code h·W_hhᵀ + b_hh}), the same buffer except for the GRU, whose n gate differs.</li>
     * </ul>
     */
    record Buffers(RecurrentCell cell, int batch, int hidden, Storage gates, Storage h, Storage c, Storage aux,
                   Storage dOut, Storage dGates, Storage dHidden) {

        /** The forward pass's buffers (no gradients). */
        static Buffers forward(RecurrentCell cell, int batch, int hidden, Storage gates, Storage h, Storage c, Storage aux) {
            return new Buffers(cell, batch, hidden, gates, h, c, aux, null, null, null);
        }

        /** These buffers with the backward pass's gradient buffers. */
        Buffers withGradients(Storage dOut, Storage dGates, Storage dHidden) {
            return new Buffers(cell, batch, hidden, gates, h, c, aux, dOut, dGates, dHidden);
        }

        /** Offset of row {@code r} of step {@code s} in the gate buffers. */
        int gateRow(int s, int r) {
            return (s * batch + r) * cell.gates() * hidden;
        }

        /** Offset of row {@code r} of slot {@code s} in the state buffers (h, c, aux, dOut). */
        int stateRow(int s, int r) {
            return (s * batch + r) * hidden;
        }
    }

    /** A right operand {@code op(B)} (k×n) prepared for many products with it. */
    @FunctionalInterface
    interface Right {
        /**
         * {@code C = A·op(B)}, or {@code C += A·op(B)} when {@code accumulate}, on the calling
         * thread: A is m×k row-major from {@code aOffset}, C m×n from {@code cOffset}.
         */
        void multiply(Storage a, int aOffset, Storage c, int cOffset, int m, boolean accumulate);
    }

    /** {@code op(B)}, B stored k×n from offset 0 (n×k when {@code transB}), ready for {@link Right#multiply}. */
    Right prepare(Storage b, boolean transB, int k, int n);

    /**
     * Step {@code s} of the cell for rows {@code [row0, row0 + rows)}: reads {@code gates} (the
     * input part), {@code hw} ({@code h_s·W_hhᵀ}, row r at {@code r·G·H}), the biases and the
     * previous states; writes the gate values, the new states and {@code aux}.
     */
    void forward(Buffers b, int s, int row0, int rows, Storage hw, Storage bIh, Storage bHh);

    /**
     * The backward pass of step {@code s} for rows {@code [row0, row0 + rows)}. On entry
     * {@code dh} (row r at {@code r·H}) holds the gradient of the step's output from the later
     * steps and {@code dc} (LSTM, else null) that of its cell state; the gradient of the output is
     * that plus {@code dOut}. Writes {@code dGates} and {@code dHidden} for the step and leaves in
     * {@code dc} the gradient of the previous cell state, and in {@code dh} the part of the
     * previous state's gradient that does not pass through {@code W_hh} (GRU {@code z ⊙ ∂h'};
     * other cells leave {@code dh} for the caller to overwrite).
     */
    void backward(Buffers b, int s, int row0, int rows, Storage dh, Storage dc);

    /** {@code out[i, :] = table[index[i], :]} for rows of {@code width} elements. */
    void gatherRows(Storage table, int[] index, int width, Storage out);

    /** {@code table[index[i], :] += rows[i, :]} for every i in order, rows of {@code width} elements. */
    void scatterAddRows(Storage rows, int[] index, int width, Storage table);

    /** The kernels for tensors of the given element type. */
    static RecurrentKernels of(DType dtype) {
        return dtype == DType.FLOAT32 ? KernelRegistry.FLOAT32_RECURRENT : KernelRegistry.REFERENCE_RECURRENT;
    }
}
