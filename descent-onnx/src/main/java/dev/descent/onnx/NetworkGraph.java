package dev.descent.onnx;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
import dev.descent.nn.Activation;
import dev.descent.nn.BatchNorm;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Flatten;
import dev.descent.nn.GlobalAvgPool;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Pool2d;
import dev.descent.nn.Sequential;
import dev.descent.nn.Softmax;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;

import java.util.Arrays;
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
 *   <li>{@link Dropout}: nothing; {@link Sequential}: its children in order.</li>
 * </ul>
 * A recurrent layer is one more case: ONNX's {@code LSTM}/{@code GRU}/{@code RNN} nodes with
 * {@code layout=1} (batch first), the weights reordered from PyTorch's gate order (i, f, g, o for
 * LSTM; r, z, n for GRU) to ONNX's (i, o, f, c; z, r, h). A module without a case is refused, naming it.
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
