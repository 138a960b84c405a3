package dev.descent.onnx;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.nn.Activation;
import dev.descent.nn.BatchNorm;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Embedding;
import dev.descent.nn.Flatten;
import dev.descent.nn.GlobalAvgPool;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Pool2d;
import dev.descent.nn.Recurrent;
import dev.descent.nn.Sequential;
import dev.descent.nn.Softmax;
import dev.descent.tensor.DType;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a network, module by module, in evaluation mode (dropout is the identity,
 * batch norm uses its running statistics). Each module is one case of {@link #add}:
 * <ul>
 *   <li>{@link Linear} {@code y = x·Wᵀ + b}: {@code Gemm(transB=1)} on {@code [N, in]}, else {@code MatMul} + {@code Add};</li>
 *   <li>{@link Activation}: {@code Relu}, {@code LeakyRelu(α)}, {@code Elu(α)}, {@code Sigmoid}, {@code Tanh},
 *       SiLU as {@code x·Sigmoid(x)} and exact GELU as {@code x·(1 + Erf(x/√2))/2} (opset 17 has no Gelu);</li>
 *   <li>{@link Softmax}: {@code Softmax} or {@code LogSoftmax} along its axis; {@link Flatten}: {@code Flatten(axis=1)};</li>
 *   <li>{@link Conv2d}: {@code Conv} with pads {@code [top, left, bottom, right]}, strides, dilations, groups;</li>
 *   <li>{@link Pool2d}: {@code MaxPool}, or {@code AveragePool} with {@code count_include_pad=1} (padding counted as
 *       zeros); {@link GlobalAvgPool}: {@code GlobalAveragePool} then {@code Flatten};</li>
 *   <li>{@link BatchNorm}: {@code BatchNormalization} with the running mean and variance (γ = 1, β = 0 when not
 *       affine); {@link LayerNorm}: {@code LayerNormalization(axis=1)} over each whole example;</li>
 *   <li>{@link Embedding} {@code y[n, t, :] = E[id[n, t], :]}: {@code Gather(E, tokens, axis=0)} on the int64
 *       token input (so only as the first layer);</li>
 *   <li>{@link Recurrent}: one ONNX {@code RNN} (tanh), {@code LSTM} or {@code GRU} node per stacked layer,
 *       time-major ({@code layout=0}, the only layout ONNX Runtime runs), {@code direction} forward or bidirectional, with
 *       {@code W [dirs, G·H, F]}, {@code R [dirs, G·H, H]} and {@code B [dirs, 2·G·H] = [b_ih, b_hh]}, the gate
 *       blocks reordered from PyTorch's order (LSTM i, f, g, o; GRU r, z, n) to ONNX's (i, o, f, c; z, r, h);
 *       the GRU with {@code linear_before_reset=1}, PyTorch's {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}.
 *       A one-channel image {@code [N, 1, R, C]} is reshaped to R steps of C features, the steps transposed to
 *       {@code [T, N, F]}; the outputs {@code Y [T, dirs, N, H]} of a layer feed the next as {@code [T, N, dirs·H]}
 *       (forward features first); the last layer answers them batch-major ({@code seq}, {@code [N, T, dirs·H]})
 *       or its final states {@code Y_h [dirs, N, H]} as {@code [N, dirs·H]} (the backward direction's state
 *       after step 0);</li>
 *   <li>{@link Dropout}: nothing; {@link Sequential}: its children in order.</li>
 * </ul>
 * A module without a case is refused, naming it.
 *
 * <p>A zero example runs through each module next to the translation, so every case knows the
 * shape of its input per example (a dense layer on {@code [N, T, F]}, a layer norm's example shape).
 */
final class NetworkGraph {
    private final OnnxGraph g;
    private String tensor;
    private Tensor probe;

    private NetworkGraph(OnnxGraph g, String input, int[] exampleShape) {
        this.g = g;
        this.tensor = input;
        int[] batched = new int[exampleShape.length + 1];
        batched[0] = 1;
        System.arraycopy(exampleShape, 0, batched, 1, exampleShape.length);
        this.probe = Tensor.zeros(DType.FLOAT32, Shape.of(batched));
    }

    /**
     * Adds the nodes of {@code network} (switched to evaluation mode) reading the tensor
     * {@code input} of shape {@code [N, exampleShape...]}.
     */
    @SuppressWarnings("try") // the scope only turns recording off
    static Scores add(OnnxGraph g, Module network, String input, int[] exampleShape) {
        NetworkGraph graph = new NetworkGraph(g, input, exampleShape);
        network.eval();
        try (var scope = Autograd.noGrad()) {
            graph.add("network", network);
        }
        return new Scores(graph.tensor, graph.probe.shape().without(0));
    }

    private void add(String name, Module m) {
        String x = tensor;
        Map<String, Tensor> t = m.namedTensors();
        switch (m) {
            case Sequential s -> {
                s.children().forEach(this::add);
                return;
            }
            case Linear linear -> tensor = linear(name, t, x);
            case Activation a -> tensor = activation(name, a, x);
            case Softmax s -> tensor = g.op(s.isLog() ? "LogSoftmax" : "Softmax", x).attr("axis", s.axis()).out(name);
            case Dropout d -> tensor = x;
            case Embedding e -> {
                if (!x.equals(OnnxExporter.TOKEN_INPUT)) {
                    throw new DescentException("layer '" + name + "' (" + e + ") reads token ids, so it must be the model's"
                            + " first layer to be exported to ONNX");
                }
                tensor = g.op("Gather", weights(name, t, "weight"), x).attr("axis", 0).out(name);
            }
            case Recurrent r -> tensor = recurrent(name, r, t, x);
            case Flatten f -> tensor = g.op("Flatten", x).attr("axis", 1).out(name);
            case Conv2d conv -> {
                Window w = conv.window();
                String[] inputs = t.containsKey("bias")
                        ? new String[] {x, weights(name, t, "weight"), weights(name, t, "bias")}
                        : new String[] {x, weights(name, t, "weight")};
                tensor = window(g.op("Conv", inputs), w).ints("dilations", w.dilationH(), w.dilationW())
                        .attr("group", conv.groups()).out(name);
            }
            case Pool2d pool -> tensor = window(pool.isMax() ? g.op("MaxPool", x)
                    : g.op("AveragePool", x).attr("count_include_pad", 1), pool.window()).out(name);
            case GlobalAvgPool gap ->
                    tensor = g.op("Flatten", g.op("GlobalAveragePool", x).out(name + "_pooled")).attr("axis", 1).out(name);
            case BatchNorm bn -> {
                int channels = probe.dim(1);
                String gamma = t.containsKey("weight") ? weights(name, t, "weight") : filled(name + ".weight", 1, channels);
                String beta = t.containsKey("bias") ? weights(name, t, "bias") : filled(name + ".bias", 0, channels);
                tensor = g.op("BatchNormalization", x, gamma, beta, weights(name, t, "running_mean"),
                        weights(name, t, "running_var")).attr("epsilon", bn.eps()).out(name);
            }
            case LayerNorm ln -> {
                int[] shape = ln.shape().dims();
                String gamma = t.containsKey("weight") ? weights(name, t, "weight") : filled(name + ".weight", 1, shape);
                String beta = t.containsKey("bias") ? weights(name, t, "bias") : filled(name + ".bias", 0, shape);
                tensor = g.op("LayerNormalization", x, gamma, beta).attr("axis", 1).attr("epsilon", ln.eps()).out(name);
            }
            default -> throw new DescentException("layer '" + name + "' (" + m + ") has no ONNX translation yet; export a"
                    + " model without it, or ask for its translation in dev.descent.onnx.NetworkGraph");
        }
        probe = m.forward(probe);
    }

    /**
     * The ONNX node of each stacked layer of {@code r}, reading {@code x}; returns the layer's output.
     * ONNX Runtime runs these operators only time-major ({@code layout=0}), so the steps are
     * transposed to {@code [T, N, F]} on the way in and back to batch-major on the way out.
     */
    private String recurrent(String name, Recurrent r, Map<String, Tensor> t, String x) {
        RecurrentCell cell = r.cell();
        int hidden = r.hiddenSize(), directions = r.options().directions(), layers = r.options().layers();
        String batchMajor = probe.rank() == 4
                ? g.op("Reshape", x, g.longs(name + ".rows_shape", 0, probe.dim(2), probe.dim(3))).out(name + "_rows") : x;
        String in = g.op("Transpose", batchMajor).ints("perm", 1, 0, 2).out(name + "_time_major");
        for (int layer = 0; layer < layers; layer++) {
            String l = name + "_l" + layer;
            List<Tensor> w = new ArrayList<>(), rec = new ArrayList<>(), b = new ArrayList<>();
            for (int direction = 0; direction < directions; direction++) {
                String suffix = "_l" + layer + (direction == 1 ? "_reverse" : "");
                w.add(onnxGateOrder(cell, t.get("weight_ih" + suffix)));
                rec.add(onnxGateOrder(cell, t.get("weight_hh" + suffix)));
                b.add(Tensor.concat(0, List.of(onnxGateOrder(cell, t.get("bias_ih" + suffix)),
                        onnxGateOrder(cell, t.get("bias_hh" + suffix)))));
            }
            // ONNX's RNN, LSTM and GRU operators are named as the cells
            OnnxGraph.Node node = g.op(cell.name(), in, stacked(l + ".W", w), stacked(l + ".R", rec), stacked(l + ".B", b))
                    .attr("hidden_size", hidden).attr("direction", directions == 2 ? "bidirectional" : "forward");
            if (cell == RecurrentCell.GRU) {
                node.attr("linear_before_reset", 1);
            }
            if (layer == layers - 1 && !r.options().sequences()) {
                String last = node.out(l + "_h", 1); // Y_h [dirs, N, H]
                String perExample = g.op("Transpose", last).ints("perm", 1, 0, 2).out(l + "_h_batch_major");
                return g.op("Reshape", perExample, g.longs(l + ".h_shape", 0, (long) directions * hidden)).out(name);
            }
            String steps = node.out(l + "_y", 0); // Y [T, dirs, N, H]
            String joined = g.op("Transpose", steps).ints("perm", 0, 2, 1, 3).out(l + "_y_by_example");
            in = g.op("Reshape", joined, g.longs(l + ".y_shape", 0, 0, (long) directions * hidden)).out(l + "_out");
        }
        return g.op("Transpose", in).ints("perm", 1, 0, 2).out(name);
    }

    /**
     * The gate blocks (rows {@code [G·H, ...]}) of a PyTorch recurrent parameter in ONNX's order:
     * LSTM i, f, g, o → i, o, f, c; GRU r, z, n → z, r, h; an Elman layer's single block as it is.
     */
    private static Tensor onnxGateOrder(RecurrentCell cell, Tensor p) {
        int[] order = switch (cell) {
            case RNN -> new int[] {0};
            case LSTM -> new int[] {0, 3, 1, 2};
            case GRU -> new int[] {1, 0, 2};
        };
        int block = p.dim(0) / order.length;
        List<Tensor> blocks = new ArrayList<>();
        for (int k : order) {
            blocks.add(p.slice(0, k * block, (k + 1) * block));
        }
        return Tensor.concat(0, blocks);
    }

    /** The initializer {@code [directions, ...]} stacking one tensor per direction. */
    private String stacked(String name, List<Tensor> perDirection) {
        Tensor first = perDirection.get(0);
        long[] dims = new long[first.rank() + 1];
        dims[0] = perDirection.size();
        for (int i = 0; i < first.rank(); i++) {
            dims[i + 1] = first.dim(i);
        }
        return g.floats(name, Tensor.concat(0, perDirection).toFloatArray(), dims);
    }

    /** The kernel shape, strides and pads {@code [top, left, bottom, right]} of a convolution or pooling node. */
    private static OnnxGraph.Node window(OnnxGraph.Node node, Window w) {
        return node.ints("kernel_shape", w.kernelH(), w.kernelW()).ints("strides", w.strideH(), w.strideW())
                .ints("pads", w.padTop(), w.padLeft(), w.padBottom(), w.padRight());
    }

    private String linear(String name, Map<String, Tensor> t, String x) {
        if (probe.rank() == 2) {
            return g.op("Gemm", x, weights(name, t, "weight"), weights(name, t, "bias")).attr("transB", 1).out(name);
        }
        Tensor w = t.get("weight").transpose(0, 1);
        String product = g.op("MatMul", x, g.floats(name + ".weight_t", w.toFloatArray(), w.dim(0), w.dim(1))).out(name + "_matmul");
        return g.op("Add", product, weights(name, t, "bias")).out(name);
    }

    private String activation(String name, Activation a, String x) {
        return switch (a.kind()) {
            case RELU -> g.op("Relu", x).out(name);
            case LEAKY_RELU -> g.op("LeakyRelu", x).attr("alpha", a.alpha()).out(name);
            case ELU -> g.op("Elu", x).attr("alpha", a.alpha()).out(name);
            case SIGMOID -> g.op("Sigmoid", x).out(name);
            case TANH -> g.op("Tanh", x).out(name);
            case SILU -> g.op("Mul", x, g.op("Sigmoid", x).out(name + "_sigmoid")).out(name);
            case GELU -> {
                String erf = g.op("Erf", g.op("Mul", x, g.scalar(name + ".inv_sqrt2", 1 / Math.sqrt(2))).out(name + "_scaled"))
                        .out(name + "_erf");
                String phi = g.op("Mul", g.op("Add", erf, g.scalar(name + ".one", 1)).out(name + "_1p"),
                        g.scalar(name + ".half", 0.5)).out(name + "_cdf");
                yield g.op("Mul", x, phi).out(name);
            }
        };
    }

    /** The initializer of parameter or buffer {@code leaf} of module {@code name}, with its own shape. */
    private String weights(String name, Map<String, Tensor> tensors, String leaf) {
        Tensor w = tensors.get(leaf);
        return g.floats(name + "." + leaf, w.toFloatArray(), Arrays.stream(w.dims()).asLongStream().toArray());
    }

    /** A constant tensor of {@code value}s of shape {@code dims}. */
    private String filled(String name, float value, int... dims) {
        float[] values = new float[Arrays.stream(dims).reduce(1, Math::multiplyExact)];
        Arrays.fill(values, value);
        return g.floats(name, values, Arrays.stream(dims).asLongStream().toArray());
    }
}
