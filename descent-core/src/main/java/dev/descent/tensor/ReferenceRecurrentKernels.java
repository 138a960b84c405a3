package dev.descent.tensor;

/**
 * The recurrent cells' step loops in double precision, written next to the formulas of
 * {@link RecurrentCell}; the oracle {@link VectorRecurrentKernels} is tested against. With
 * {@code a = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh} per gate (the GRU's n gate keeps its hidden part
 * {@code hn = W_hn h + b_hn} apart), the backward pass is, for the output gradient {@code ∂h'}:
 * <pre>
 *   RNN:  ∂a = ∂h' ⊙ (1 − h'²)
 *   LSTM: ∂c' += ∂h' ⊙ o ⊙ (1 − tanh²c'),  ∂a_i = ∂c' ⊙ g ⊙ i(1 − i),  ∂a_f = ∂c' ⊙ c ⊙ f(1 − f),
 *         ∂a_g = ∂c' ⊙ i ⊙ (1 − g²),  ∂a_o = ∂h' ⊙ tanh c' ⊙ o(1 − o),  ∂c = ∂c' ⊙ f
 *   GRU:  ∂a_n = ∂h' ⊙ (1 − z) ⊙ (1 − n²),  ∂a_z = ∂h' ⊙ (h − n) ⊙ z(1 − z),
 *         ∂a_r = ∂a_n ⊙ hn ⊙ r(1 − r),  ∂hn = ∂a_n ⊙ r,  ∂h (direct) = ∂h' ⊙ z
 * </pre>
 */
class ReferenceRecurrentKernels implements RecurrentKernels {

    @Override
    public Right prepare(Storage b, boolean transB, int k, int n) {
        return (a, aOffset, c, cOffset, m, accumulate) -> {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.get(aOffset + i * k + p) * b.get(transB ? j * k + p : p * n + j);
                    }
                    int at = cOffset + i * n + j;
                    c.set(at, accumulate ? c.get(at) + s : s);
                }
            }
        };
    }

    @Override
    public void gatherRows(Storage table, int[] index, int width, Storage out) {
        for (int i = 0; i < index.length; i++) {
            for (int j = 0; j < width; j++) {
                out.set(i * width + j, table.get(index[i] * width + j));
            }
        }
    }

    @Override
    public void scatterAddRows(Storage rows, int[] index, int width, Storage table) {
        for (int i = 0; i < index.length; i++) {
            for (int j = 0; j < width; j++) {
                int at = index[i] * width + j;
                table.set(at, table.get(at) + rows.get(i * width + j));
            }
        }
    }

    private static double sigmoid(double x) {
        return UnaryOp.sigmoid(x);
    }

    @Override
    public void forward(Buffers b, int s, int row0, int rows, Storage hw, Storage bIh, Storage bHh) {
        int n = b.hidden(), width = b.cell().gates() * n;
        Storage gates = b.gates(), h = b.h(), c = b.c(), aux = b.aux();
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), w = r * width, prev = b.stateRow(s, r), next = b.stateRow(s + 1, r);
            for (int j = 0; j < n; j++) {
                switch (b.cell()) {
                    case RNN -> {
                        double y = Math.tanh(gates.get(g + j) + bIh.get(j) + hw.get(w + j) + bHh.get(j));
                        gates.set(g + j, y);
                        h.set(next + j, y);
                    }
                    case LSTM -> {
                        double i = sigmoid(pre(gates, g, hw, w, bIh, bHh, j));
                        double f = sigmoid(pre(gates, g, hw, w, bIh, bHh, n + j));
                        double cand = Math.tanh(pre(gates, g, hw, w, bIh, bHh, 2 * n + j));
                        double o = sigmoid(pre(gates, g, hw, w, bIh, bHh, 3 * n + j));
                        double cell = f * c.get(prev + j) + i * cand, tanhCell = Math.tanh(cell);
                        gates.set(g + j, i);
                        gates.set(g + n + j, f);
                        gates.set(g + 2 * n + j, cand);
                        gates.set(g + 3 * n + j, o);
                        c.set(next + j, cell);
                        aux.set(prev + j, tanhCell);
                        h.set(next + j, o * tanhCell);
                    }
                    case GRU -> {
                        double reset = sigmoid(pre(gates, g, hw, w, bIh, bHh, j));
                        double update = sigmoid(pre(gates, g, hw, w, bIh, bHh, n + j));
                        double hn = hw.get(w + 2 * n + j) + bHh.get(2 * n + j);
                        double cand = Math.tanh(gates.get(g + 2 * n + j) + bIh.get(2 * n + j) + reset * hn);
                        gates.set(g + j, reset);
                        gates.set(g + n + j, update);
                        gates.set(g + 2 * n + j, cand);
                        aux.set(prev + j, hn);
                        h.set(next + j, (1 - update) * cand + update * h.get(prev + j));
                    }
                }
            }
        }
    }

    /** The pre-activation of gate column {@code col}: input part, hidden part and both biases. */
    private static double pre(Storage gates, int g, Storage hw, int w, Storage bIh, Storage bHh, int col) {
        return gates.get(g + col) + bIh.get(col) + hw.get(w + col) + bHh.get(col);
    }

    @Override
    public void backward(Buffers b, int s, int row0, int rows, Storage dh, Storage dc) {
        int n = b.hidden();
        Storage gates = b.gates(), dGates = b.dGates();
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), prev = b.stateRow(s, r), d = r * n;
            for (int j = 0; j < n; j++) {
                double dOut = b.dOut().get(prev + j) + dh.get(d + j);
                switch (b.cell()) {
                    case RNN -> {
                        double y = gates.get(g + j);
                        dGates.set(g + j, dOut * (1 - y * y));
                    }
                    case LSTM -> {
                        double i = gates.get(g + j), f = gates.get(g + n + j), cand = gates.get(g + 2 * n + j);
                        double o = gates.get(g + 3 * n + j), tanhCell = b.aux().get(prev + j);
                        double dCell = dc.get(d + j) + dOut * o * (1 - tanhCell * tanhCell);
                        dGates.set(g + j, dCell * cand * i * (1 - i));
                        dGates.set(g + n + j, dCell * b.c().get(prev + j) * f * (1 - f));
                        dGates.set(g + 2 * n + j, dCell * i * (1 - cand * cand));
                        dGates.set(g + 3 * n + j, dOut * tanhCell * o * (1 - o));
                        dc.set(d + j, dCell * f);
                    }
                    case GRU -> {
                        double reset = gates.get(g + j), update = gates.get(g + n + j), cand = gates.get(g + 2 * n + j);
                        double dCand = dOut * (1 - update) * (1 - cand * cand);
                        double dUpdate = dOut * (b.h().get(prev + j) - cand) * update * (1 - update);
                        double dReset = dCand * b.aux().get(prev + j) * reset * (1 - reset);
                        dGates.set(g + j, dReset);
                        dGates.set(g + n + j, dUpdate);
                        dGates.set(g + 2 * n + j, dCand);
                        b.dHidden().set(g + j, dReset);
                        b.dHidden().set(g + n + j, dUpdate);
                        b.dHidden().set(g + 2 * n + j, dCand * reset);
                        dh.set(d + j, dOut * update);
                    }
                }
            }
        }
    }
}
