package dev.descent.nn;

import dev.descent.tensor.DType;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every layer: output shape, parameter names, determinism under a seed, double-precision gradients. */
class LayerContractTest {
    private static final long SEED = 42;

    /**
     * A layer made from a seed, an input shape, and what the layer must produce; {@code ids} > 0
     * when the input is token ids below it (no gradient with respect to the input).
     */
    record Case(String name, LongFunction<Module> make, int[] input, int[] output, List<String> parameters, int ids) {
        Case(String name, LongFunction<Module> make, int[] input, int[] output, List<String> parameters) {
            this(name, make, input, output, parameters, 0);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        int[] in = {2, 4};
        return Stream.of(
                new Case("Linear", s -> new Linear(4, 3, new SplittableRandom(s)), in, new int[] {2, 3},
                        List.of("weight", "bias")),
                activation("relu", Activation.relu()),
                activation("leaky_relu", Activation.leakyRelu(0.1)),
                activation("elu", Activation.elu(1)),
                activation("gelu", Activation.gelu()),
                activation("silu", Activation.silu()),
                activation("sigmoid", Activation.sigmoid()),
                activation("tanh", Activation.tanh()),
                activation("softmax", new Softmax()),
                activation("log_softmax", Softmax.log(-1)),
                new Case("Dropout eval", s -> new Dropout(0.5, s).eval(), in, in, List.of()),
                new Case("Dropout train", s -> new Dropout(0.5, s), in, in, List.of()),
                new Case("Flatten", s -> new Flatten(), new int[] {2, 2, 3}, new int[] {2, 6}, List.of()),
                new Case("Flatten NCHW", s -> new Flatten(), new int[] {2, 3, 2, 2}, new int[] {2, 12}, List.of()),
                new Case("Conv2d", s -> new Conv2d(2, 3, 3, new SplittableRandom(s)), new int[] {2, 2, 5, 4},
                        new int[] {2, 3, 3, 2}, List.of("weight", "bias")),
                new Case("Conv2d stride 2 same-size padding dilation groups no bias", s -> new Conv2d(2, 4,
                        Window.square(3, 2, 2, 2), 2, false, new SplittableRandom(s)), new int[] {1, 2, 6, 6},
                        new int[] {1, 4, 3, 3}, List.of("weight")),
                new Case("Conv2d same", s -> new Conv2d(1, 2, Window.same(3, 1), 1, true, new SplittableRandom(s)),
                        new int[] {2, 1, 4, 5}, new int[] {2, 2, 4, 5}, List.of("weight", "bias")),
                new Case("MaxPool2d", s -> Pool2d.max(2, 2, 0), new int[] {2, 3, 4, 5}, new int[] {2, 3, 2, 2}, List.of()),
                new Case("AvgPool2d", s -> Pool2d.average(3, 1, 1), new int[] {1, 2, 4, 4}, new int[] {1, 2, 4, 4}, List.of()),
                new Case("GlobalAvgPool", s -> new GlobalAvgPool(), new int[] {2, 3, 2, 3}, new int[] {2, 3}, List.of()),
                new Case("BatchNorm2d train", s -> new BatchNorm(3), new int[] {4, 3, 2, 2}, new int[] {4, 3, 2, 2},
                        List.of("weight", "bias")),
                new Case("BatchNorm1d train", s -> new BatchNorm(4), new int[] {5, 4}, new int[] {5, 4},
                        List.of("weight", "bias")),
                new Case("BatchNorm2d eval", s -> new BatchNorm(3).eval(), new int[] {2, 3, 2, 2}, new int[] {2, 3, 2, 2},
                        List.of("weight", "bias")),
                new Case("LayerNorm", s -> new LayerNorm(Shape.of(2, 3)), new int[] {3, 2, 3}, new int[] {3, 2, 3},
                        List.of("weight", "bias")),
                new Case("Sequential", s -> {
                    SplittableRandom rng = new SplittableRandom(s);
                    return new Sequential(new Flatten(), new Linear(6, 5, rng), Activation.tanh(),
                            new Dropout(0.3, s), new Linear(5, 2, rng));
                }, new int[] {2, 2, 3}, new int[] {2, 2}, List.of("1.weight", "1.bias", "4.weight", "4.bias")),
                new Case("Sequential with Linear + ReLU fused", s -> {
                    SplittableRandom rng = new SplittableRandom(s);
                    return new Sequential(new Linear(6, 5, rng), Activation.relu(), new Linear(5, 2, rng));
                }, new int[] {3, 6}, new int[] {3, 2}, List.of("0.weight", "0.bias", "2.weight", "2.bias")),
                new Case("Linear per time step", s -> new Linear(4, 3, new SplittableRandom(s)), new int[] {2, 3, 4},
                        new int[] {2, 3, 3}, List.of("weight", "bias")),
                new Case("Sequential with Linear + ReLU fused per time step", s -> {
                    SplittableRandom rng = new SplittableRandom(s);
                    return new Sequential(new Linear(4, 5, rng), Activation.relu(), new Linear(5, 2, rng));
                }, new int[] {2, 3, 4}, new int[] {2, 3, 2}, List.of("0.weight", "0.bias", "2.weight", "2.bias")),
                recurrent("RNN last step", RecurrentCell.RNN, Recurrent.Options.DEFAULT, new int[] {2, 4, 3}, new int[] {2, 5}),
                recurrent("RNN sequence", RecurrentCell.RNN, SEQUENCES, new int[] {2, 4, 3}, new int[] {2, 4, 5}),
                recurrent("LSTM last step", RecurrentCell.LSTM, Recurrent.Options.DEFAULT, new int[] {2, 4, 3}, new int[] {2, 5}),
                recurrent("LSTM sequence", RecurrentCell.LSTM, SEQUENCES, new int[] {2, 4, 3}, new int[] {2, 4, 5}),
                recurrent("LSTM image row by row", RecurrentCell.LSTM, Recurrent.Options.DEFAULT, new int[] {2, 1, 4, 3},
                        new int[] {2, 5}),
                recurrent("LSTM bidirectional last step", RecurrentCell.LSTM, Recurrent.Options.DEFAULT.withBidirectional(true),
                        new int[] {2, 4, 3}, new int[] {2, 10}),
                recurrent("LSTM 2 layers bidirectional sequence", RecurrentCell.LSTM,
                        SEQUENCES.withLayers(2).withBidirectional(true), new int[] {2, 4, 3}, new int[] {2, 4, 10}),
                recurrent("LSTM 2 layers dropout 0.3 (training)", RecurrentCell.LSTM,
                        Recurrent.Options.DEFAULT.withLayers(2).withDropout(0.3), new int[] {2, 4, 3}, new int[] {2, 5}),
                recurrent("GRU last step", RecurrentCell.GRU, Recurrent.Options.DEFAULT, new int[] {2, 4, 3}, new int[] {2, 5}),
                recurrent("GRU sequence", RecurrentCell.GRU, SEQUENCES, new int[] {2, 4, 3}, new int[] {2, 4, 5}),
                recurrent("GRU 2 layers", RecurrentCell.GRU, Recurrent.Options.DEFAULT.withLayers(2), new int[] {2, 4, 3},
                        new int[] {2, 5}),
                recurrent("GRU bidirectional sequence", RecurrentCell.GRU, SEQUENCES.withBidirectional(true),
                        new int[] {2, 4, 3}, new int[] {2, 4, 10}),
                new Case("Embedding", s -> new Embedding(7, 3, new SplittableRandom(s)), new int[] {2, 4}, new int[] {2, 4, 3},
                        List.of("weight"), 7),
                new Case("Sequential embedding then LSTM (input projection from the table)", s -> {
                    SplittableRandom rng = new SplittableRandom(s);
                    return new Sequential(new Embedding(7, 3, rng), Recurrent.lstm(3, 4, SEQUENCES, rng), new Linear(4, 7, rng));
                }, new int[] {2, 4}, new int[] {2, 4, 7}, List.of("0.weight", "1.weight_ih_l0", "1.weight_hh_l0",
                        "1.bias_ih_l0", "1.bias_hh_l0", "2.weight", "2.bias"), 7),
                new Case("Sequential embedding then bidirectional GRU, 2 layers", s -> {
                    SplittableRandom rng = new SplittableRandom(s);
                    return new Sequential(new Embedding(6, 3, rng),
                            Recurrent.gru(3, 3, Recurrent.Options.DEFAULT.withLayers(2).withBidirectional(true), rng));
                }, new int[] {2, 3}, new int[] {2, 6}, gruNames(), 6));
    }

    private static List<String> gruNames() {
        List<String> names = new java.util.ArrayList<>(List.of("0.weight"));
        for (String layer : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
            for (String p : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
                names.add("1." + p + layer);
            }
        }
        return names;
    }

    private static final Recurrent.Options SEQUENCES = Recurrent.Options.DEFAULT.withSequences(true);

    /** A recurrent layer of 5 units over 3 features, with PyTorch's parameter names for its layers and directions. */
    private static Case recurrent(String name, RecurrentCell cell, Recurrent.Options options, int[] input, int[] output) {
        List<String> names = new java.util.ArrayList<>();
        for (int layer = 0; layer < options.layers(); layer++) {
            for (String direction : options.bidirectional() ? List.of("", "_reverse") : List.of("")) {
                for (String p : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
                    names.add(p + "_l" + layer + direction);
                }
            }
        }
        return new Case(name, s -> new Recurrent(cell, 3, 5, options, new SplittableRandom(s)), input, output, names);
    }

    private static Case activation(String name, Module module) {
        return new Case(name, s -> module, new int[] {2, 4}, new int[] {2, 4}, List.of());
    }

    /** The case's input: token ids, or normal draws as {@link #input(int[])} makes them. */
    private static Tensor input(Case c) {
        if (c.ids() == 0) {
            return input(c.input());
        }
        SplittableRandom rng = new SplittableRandom(7);
        Tensor ids = Tensor.zeros(DType.FLOAT64, Shape.of(c.input()));
        for (int i = 0; i < ids.size(); i++) {
            ids.storage().set(i, rng.nextInt(c.ids()));
        }
        return ids;
    }

    /** Standard normal draws pushed at least 0.1 away from 0, the kink of relu-like functions. */
    private static Tensor input(int[] dims) {
        Tensor x = Tensor.normal(new SplittableRandom(7), DType.FLOAT64, Shape.of(dims), 0, 1);
        for (int i = 0; i < x.size(); i++) {
            double v = x.storage().get(i);
            x.storage().set(i, Math.copySign(Math.abs(v) + 0.1, v));
        }
        return x;
    }

    private static Tensor run(Module m, Tensor x) {
        m.reseed(SEED);
        return m.forward(x.to(m.parameters().isEmpty() ? x.dtype() : m.parameters().get(0).dtype()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputShapeAndParameterNames(Case c) {
        Module m = c.make().apply(SEED);
        assertArrayEquals(c.output(), run(m, input(c).to(DType.FLOAT32)).dims());
        assertEquals(c.parameters(), List.copyOf(m.namedParameters().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameSeedSameParametersAndOutput(Case c) {
        Module a = c.make().apply(SEED), b = c.make().apply(SEED);
        List<Tensor> pa = a.parameters(), pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).toFloatArray(), pb.get(i).toFloatArray());
        }
        Tensor x = input(c).to(DType.FLOAT32);
        assertArrayEquals(run(a, x).toFloatArray(), run(b, x).toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsInDoublePrecision(Case c) {
        Module m = c.make().apply(SEED);
        Tensor x = input(c);
        if (c.ids() > 0) { // ids take no gradient: check the parameters only
            ModuleGradCheck.assertGradients(m, null, none -> run(m, x));
        } else {
            ModuleGradCheck.assertGradients(m, x, in -> run(m, in));
        }
    }
}
