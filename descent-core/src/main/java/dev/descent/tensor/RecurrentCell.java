package dev.descent.tensor;

/**
 * The cell of a recurrent layer: how the hidden state {@code h} (and the LSTM's cell state
 * {@code c}) of one time step follows from the input {@code x_t} and the previous state, with
 * PyTorch's gate order and bias placement. Each cell has {@link #gates()} blocks of {@code H}
 * rows in its weights {@code W_ih [G·H, F]}, {@code W_hh [G·H, H]} and biases {@code b_ih},
 * {@code b_hh [G·H]}; {@code σ} is the logistic function and {@code ⊙} the element-wise product.
 */
public enum RecurrentCell {
    /** Elman: {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN(1),
    /**
     * Long short-term memory, gates i, f, g, o: {@code i = σ(W_ii x + b_ii + W_hi h + b_hi)},
     * {@code f = σ(…)}, {@code g = tanh(…)}, {@code o = σ(…)};
     * {@code c' = f ⊙ c + i ⊙ g}, {@code h' = o ⊙ tanh(c')}.
     */
    LSTM(4),
    /**
     * Gated recurrent unit, gates r, z, n, with the reset gate inside the candidate's hidden term:
     * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(…)},
     * {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}, {@code h' = (1 − z) ⊙ n + z ⊙ h}.
     */
    GRU(3);

    private final int gates;

    RecurrentCell(int gates) {
        this.gates = gates;
    }

    /** The number of gate blocks G in the weights. */
    public int gates() {
        return gates;
    }
}
