package dev.descent.nn;

import dev.descent.nn.init.Initializer;
import dev.descent.tensor.DType;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Recurrence;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A recurrent layer, PyTorch's {@code nn.RNN} (tanh), {@code nn.LSTM} or {@code nn.GRU} with
 * {@code batch_first=True}, on sequences {@code x [B, T, F]}: each step computes
 * {@code h_t = cell(x_t, h_{t−1})} by the {@link RecurrentCell}'s formulas, from zero states
 * unless given ({@link #forward(Tensor, State)}). A one-channel image {@code [B, 1, R, C]} is
 * read row by row, as {@code R} steps of {@code C} features.
 *
 * <p>{@link Options}: {@code layers} stacked layers, layer {@code l > 0} reading the outputs of
 * layer {@code l − 1} after dropout with rate {@code dropout} (training only, not after the last
 * layer); {@code bidirectional} adds a second direction running from the last step to the first,
 * whose outputs are concatenated after the first direction's ({@code 2H} features); the layer
 * returns every step's output of the last layer ({@code sequences}, {@code [B, T, H·dirs]}) or
 * only its final state, {@code [B, H·dirs]}: the last step's output, and for the backward
 * direction its output at step 0 (PyTorch's {@code h_n}; Keras's {@code return_sequences=False}).
 *
 * <p>Parameters are PyTorch's, for each layer {@code l} and direction (suffix {@code _reverse}
 * for the backward one): {@code weight_ih_l<l> [G·H, F_l]}, {@code weight_hh_l<l> [G·H, H]},
 * {@code bias_ih_l<l>}, {@code bias_hh_l<l> [G·H]}, gates in PyTorch's order (LSTM i, f, g, o;
 * GRU r, z, n), all drawn from PyTorch's default {@code U(−1/√H, 1/√H)} in that order. Each
 * layer and direction is one {@link Recurrence} op.
 */
public final class Recurrent extends Module {
    /**
     * How the layer is stacked and what it returns: {@code layers} (torch's {@code num_layers}),
     * {@code bidirectional}, {@code dropout} between stacked layers, and {@code sequences}: every
     * step's output rather than the final state (Keras's {@code return_sequences}).
     */
    public record Options(int layers, boolean bidirectional, double dropout, boolean sequences) {
        /** One layer, one direction, no dropout, the final state. */
        public static final Options DEFAULT = new Options(1, false, 0, false);

        public Options {
            if (layers < 1 || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("a recurrent layer needs layers ≥ 1 and a dropout rate in [0, 1), got "
                        + layers + " and " + dropout);
            }
        }

        public Options withLayers(int n) {
            return new Options(n, bidirectional, dropout, sequences);
        }

        public Options withBidirectional(boolean on) {
            return new Options(layers, on, dropout, sequences);
        }

        public Options withDropout(double rate) {
            return new Options(layers, bidirectional, rate, sequences);
        }

        public Options withSequences(boolean on) {
            return new Options(layers, bidirectional, dropout, on);
        }

        /** 2 when bidirectional, else 1. */
        public int directions() {
            return bidirectional ? 2 : 1;
        }
    }

    /**
     * The states {@code [B, H]} of every layer and direction in PyTorch's {@code h_n} order
     * (index {@code layer·directions + direction}); {@code c} holds the LSTM's cell states and is
     * empty for the other cells.
     */
    public record State(List<Tensor> h, List<Tensor> c) {
        public State {
            h = List.copyOf(h);
            c = List.copyOf(c);
        }
    }

    /** What {@link #forward(Tensor, State)} returns: the layer's output and the states after the last step. */
    public record Output(Tensor output, State state) {
    }

    private final RecurrentCell cell;
    private final int inputSize;
    private final int hiddenSize;
    private final Options options;
    private final Dropout dropout;

    /** A layer of {@code cell} reading {@code inputSize} features, with {@code hiddenSize} units, its weights drawn from {@code rng}. */
    public Recurrent(RecurrentCell cell, int inputSize, int hiddenSize, Options options, RandomGenerator rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("a recurrent layer needs positive sizes, got input " + inputSize
                    + " and hidden " + hiddenSize);
        }
        this.cell = cell;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        double bound = 1 / Math.sqrt(hiddenSize);
        Initializer init = Initializer.uniform(-bound, bound);
        int width = cell.gates() * hiddenSize;
        for (int layer = 0; layer < options.layers(); layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * options.directions();
            for (int direction = 0; direction < options.directions(); direction++) {
                String suffix = suffix(layer, direction);
                registerParameter("weight_ih" + suffix, init.create(rng, DType.FLOAT32, Shape.of(width, in)));
                registerParameter("weight_hh" + suffix, init.create(rng, DType.FLOAT32, Shape.of(width, hiddenSize)));
                registerParameter("bias_ih" + suffix, init.create(rng, DType.FLOAT32, Shape.of(width)));
                registerParameter("bias_hh" + suffix, init.create(rng, DType.FLOAT32, Shape.of(width)));
            }
        }
        boolean between = options.layers() > 1 && options.dropout() > 0;
        this.dropout = between ? registerModule("dropout", new Dropout(options.dropout(), rng.nextLong())) : null;
    }

    /** An Elman layer (tanh) with the given options. */
    public static Recurrent rnn(int inputSize, int hiddenSize, Options options, RandomGenerator rng) {
        return new Recurrent(RecurrentCell.RNN, inputSize, hiddenSize, options, rng);
    }

    /** An LSTM layer with the given options. */
    public static Recurrent lstm(int inputSize, int hiddenSize, Options options, RandomGenerator rng) {
        return new Recurrent(RecurrentCell.LSTM, inputSize, hiddenSize, options, rng);
    }

    /** A GRU layer with the given options. */
    public static Recurrent gru(int inputSize, int hiddenSize, Options options, RandomGenerator rng) {
        return new Recurrent(RecurrentCell.GRU, inputSize, hiddenSize, options, rng);
    }

    private static String suffix(int layer, int direction) {
        return "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null).output();
    }

    /**
     * The output for {@code x} starting from {@code initial} (null: zero states), and the states
     * after the last step, to continue from (text generation carries them step by step).
     */
    public Output forward(Tensor x, State initial) {
        return run(sequences(x), null, null, initial);
    }

    /**
     * The output for token ids {@code [B, T]} looked up in {@code embedding}: the same as
     * {@code forward(embedding.forward(ids))}, with the first layer's input projection taken
     * from the table ({@link Recurrence#forwardTokens}), so that only the table's V rows are
     * multiplied by {@code W_ih} rather than all B·T inputs. {@link Sequential} uses it for an
     * embedding followed by a recurrent layer.
     */
    public Tensor forwardEmbedded(Embedding embedding, Tensor ids) {
        if (embedding.dimension() != inputSize || ids.rank() != 2) {
            throw new IllegalArgumentException(this + " after " + embedding + " wants token ids [batch, time] and "
                    + inputSize + " features per token, got ids " + ids.shape());
        }
        return run(null, embedding, ids, null).output();
    }

    /** The layers over {@code x}, or over the ids {@code ids} of {@code embedding} when it is not null. */
    private Output run(Tensor x, Embedding embedding, Tensor ids, State initial) {
        int layers = options.layers(), directions = options.directions();
        if (initial != null && (initial.h().size() != layers * directions
                || initial.c().size() != (cell == RecurrentCell.LSTM ? layers * directions : 0))) {
            throw new IllegalArgumentException("the initial state of this " + this + " wants " + layers * directions
                    + " hidden states" + (cell == RecurrentCell.LSTM ? " and as many cell states" : ""));
        }
        int[] tokens = embedding == null ? null : embedding.ids(ids);
        Tensor in = x;
        List<Tensor> h = new ArrayList<>(), c = new ArrayList<>(), outputs = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0 && dropout != null) {
                in = dropout.forward(in);
            }
            outputs.clear();
            for (int direction = 0; direction < directions; direction++) {
                String suffix = suffix(layer, direction);
                int k = layer * directions + direction;
                Tensor wIh = parameter("weight_ih" + suffix), wHh = parameter("weight_hh" + suffix);
                Tensor bIh = parameter("bias_ih" + suffix), bHh = parameter("bias_hh" + suffix);
                Tensor h0 = initial == null ? null : initial.h().get(k);
                Tensor c0 = initial == null || cell != RecurrentCell.LSTM ? null : initial.c().get(k);
                Recurrence.Result r = layer == 0 && tokens != null
                        ? Recurrence.forwardTokens(cell, tokens, ids.dim(0), ids.dim(1), embedding.weight(), wIh, wHh, bIh,
                                bHh, h0, c0, direction == 1)
                        : Recurrence.forward(cell, in, wIh, wHh, bIh, bHh, h0, c0, direction == 1);
                outputs.add(r.output());
                h.add(r.h());
                if (r.c() != null) {
                    c.add(r.c());
                }
            }
            in = directions == 1 ? outputs.get(0) : Tensor.concat(2, outputs);
        }
        return new Output(options.sequences() ? in : finalStates(outputs), new State(h, c));
    }

    /** The forward direction's last step and the backward direction's first, joined: {@code [B, H·dirs]}. */
    private Tensor finalStates(List<Tensor> outputs) {
        int steps = outputs.get(0).dim(1), batch = outputs.get(0).dim(0);
        List<Tensor> last = new ArrayList<>();
        for (int direction = 0; direction < outputs.size(); direction++) {
            int t = direction == 0 ? steps - 1 : 0;
            last.add(outputs.get(direction).slice(1, t, t + 1).reshape(batch, hiddenSize));
        }
        return last.size() == 1 ? last.get(0) : Tensor.concat(1, last);
    }

    /** {@code x} as {@code [B, T, F]}: as it is, or a one-channel image {@code [B, 1, R, C]} viewed as R steps. */
    private Tensor sequences(Tensor x) {
        Tensor seq = x.rank() == 4 && x.dim(1) == 1 ? x.reshape(x.dim(0), x.dim(2), x.dim(3)) : x;
        if (seq.rank() != 3 || seq.dim(2) != inputSize) {
            throw new IllegalArgumentException(this + " wants sequences [batch, time, " + inputSize
                    + "] or one-channel images [batch, 1, rows, " + inputSize + "], got " + x.shape());
        }
        return seq;
    }

    public RecurrentCell cell() {
        return cell;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Options options() {
        return options;
    }

    @Override
    public String toString() {
        return cell + "(" + inputSize + ", " + hiddenSize + (options.layers() > 1 ? ", layers=" + options.layers() : "")
                + (options.dropout() > 0 ? ", dropout=" + options.dropout() : "")
                + (options.bidirectional() ? ", bidirectional" : "") + (options.sequences() ? ", sequences" : "") + ")";
    }
}
