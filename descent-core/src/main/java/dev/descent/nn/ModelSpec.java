package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.autograd.Autograd;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network written as text, one whitespace-separated token per layer, as the command line
 * and checkpoints store it:
 * <pre>flatten dense(512) relu dropout(0.2) dense(256) relu dropout(0.2) dense(10)</pre>
 * Tokens: {@code flatten}; {@code dense(N)}, a {@link Linear} layer with {@code N} outputs
 * whose input size is the last dimension of the previous layer's output; the activations
 * {@code relu}, {@code leaky_relu} or {@code leaky_relu(slope)}, {@code elu} or
 * {@code elu(alpha)}, {@code gelu}, {@code silu}, {@code sigmoid}, {@code tanh};
 * {@code softmax}, {@code log_softmax} (last axis); {@code dropout(rate)}.
 *
 * <p>{@link #build} names dense layers {@code fc1, fc2, …} (parameters {@code fc1.weight},
 * {@code fc1.bias}, …) and every other layer by its token name and a count
 * ({@code relu1, dropout2, …}). Shapes given to and reported by {@link #build} and
 * {@link #summary} are per example, without the batch axis. A new layer type is one entry in
 * the token table.
 */
public final class ModelSpec {
    /** One token: the layer name and its argument, or null when it has none. */
    public record Layer(String name, Double argument) {
        @Override
        public String toString() {
            return argument == null ? name : name + "(" + BigDecimal.valueOf(argument).stripTrailingZeros().toPlainString() + ")";
        }
    }

    /** One row of {@link #summary}: module name, token, output shape per example, parameter count. */
    public record Row(String name, String layer, Shape outputShape, long parameters) {
    }

    /** What a token's argument may be. */
    private enum Argument {
        NONE("%s takes no argument: write %s"),
        OPTIONAL_NUMBER("%s wants a number, like %s"),
        POSITIVE_INTEGER("%s wants a positive integer, like %s"),
        RATE("%s wants a rate in [0, 1), like %s");

        private final String problem;

        Argument(String problem) {
            this.problem = problem;
        }

        boolean accepts(Double a) {
            return switch (this) {
                case NONE -> a == null;
                case OPTIONAL_NUMBER -> true;
                case POSITIVE_INTEGER -> a != null && a >= 1 && a <= Integer.MAX_VALUE && a == Math.rint(a);
                case RATE -> a != null && a >= 0 && a < 1;
            };
        }
    }

    /** Creates the module of a token from its argument and the per-example input shape. */
    @FunctionalInterface
    private interface Builder {
        Module build(Double argument, Shape input, RandomGenerator rng);
    }

    /** A token type: its argument rule, an example of its use, the prefix of module names, its builder. */
    private record Kind(Argument argument, String example, String prefix, Builder builder) {
    }

    private static final Map<String, Kind> KINDS = kinds();
    private static final Pattern TOKEN = Pattern.compile("([a-z_]+)(?:\\((.*)\\))?");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("flatten", new Kind(Argument.NONE, "flatten", "flatten", (a, in, rng) -> new Flatten()));
        k.put("dense", new Kind(Argument.POSITIVE_INTEGER, "dense(128)", "fc",
                (a, in, rng) -> new Linear(in.rank() == 0 ? 1 : in.dim(-1), a.intValue(), rng)));
        k.put("dropout", new Kind(Argument.RATE, "dropout(0.2)", "dropout", (a, in, rng) -> new Dropout(a, rng.nextLong())));
        k.put("softmax", new Kind(Argument.NONE, "softmax", "softmax", (a, in, rng) -> new Softmax()));
        k.put("log_softmax", new Kind(Argument.NONE, "log_softmax", "log_softmax", (a, in, rng) -> Softmax.log(-1)));
        for (Activation.Kind f : Activation.Kind.values()) {
            String name = f.label();
            k.put(name, f.hasAlpha()
                    ? new Kind(Argument.OPTIONAL_NUMBER, name + "(" + f.defaultAlpha() + ")", name,
                            (a, in, rng) -> new Activation(f, a == null ? f.defaultAlpha() : a))
                    : new Kind(Argument.NONE, name, name, (a, in, rng) -> new Activation(f)));
        }
        return Collections.unmodifiableMap(k);
    }

    private final List<Layer> layers;

    private ModelSpec(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Parses a specification; malformed text throws a {@link DescentException} naming the offending token. */
    public static ModelSpec parse(String text) {
        String[] tokens = text == null ? new String[0] : text.trim().split("\\s+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            throw new DescentException("empty model specification: list the layers, like 'flatten dense(128) relu dense(10)'");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            layers.add(parseToken(i + 1, tokens[i]));
        }
        return new ModelSpec(layers);
    }

    private static Layer parseToken(int position, String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw bad(position, token, "write a layer name, optionally with an argument in parentheses, like dense(128)");
        }
        String name = m.group(1), arg = m.group(2);
        Kind kind = KINDS.get(name);
        if (kind == null) {
            throw bad(position, token, "unknown layer '" + name + "', use one of " + String.join(", ", KINDS.keySet()));
        }
        boolean numeric = arg == null || NUMBER.matcher(arg.trim()).matches();
        Double value = arg == null || !numeric ? null : Double.valueOf(arg.trim());
        if (!numeric || !kind.argument.accepts(value)) {
            throw bad(position, token, String.format(kind.argument.problem, name, kind.example));
        }
        return new Layer(name, value);
    }

    private static DescentException bad(int position, String token, String problem) {
        return new DescentException("bad model specification at token " + position + " '" + token + "': " + problem);
    }

    /**
     * The text of a multilayer perceptron: {@code flatten}, then for each hidden width
     * {@code dense(h) activation [dropout(rate)]}, then {@code dense(outputs)}; dropout is left
     * out when {@code dropout} is 0.
     */
    public static ModelSpec mlp(int[] hidden, String activation, double dropout, int outputs) {
        StringBuilder sb = new StringBuilder("flatten");
        for (int h : hidden) {
            sb.append(" dense(").append(h).append(") ").append(activation);
            if (dropout != 0) {
                sb.append(" dropout(").append(dropout).append(')');
            }
        }
        return parse(sb.append(" dense(").append(outputs).append(')').toString());
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * The network for examples of shape {@code inputShape} (without the batch axis), its
     * parameters drawn from {@code rng} and its dropout layers seeded from it; in training mode.
     */
    public Sequential build(int[] inputShape, RandomGenerator rng) {
        Sequential net = new Sequential();
        trace(inputShape, rng, (name, layer, module, out) -> net.add(name, module));
        return net;
    }

    /** One row per layer of the network {@link #build} makes for {@code inputShape}. */
    public List<Row> summary(int[] inputShape) {
        List<Row> rows = new ArrayList<>();
        trace(inputShape, new SplittableRandom(0),
                (name, layer, module, out) -> rows.add(new Row(name, layer.toString(), out, module.parameterCount())));
        return rows;
    }

    @FunctionalInterface
    private interface Visitor {
        void visit(String name, Layer layer, Module module, Shape outputShape);
    }

    /** Creates each layer in turn, feeding a zero example through it to learn its output shape. */
    private void trace(int[] inputShape, RandomGenerator rng, Visitor visitor) {
        if (Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new DescentException("input shape " + Arrays.toString(inputShape) + " must have positive dimensions");
        }
        Map<String, Integer> counts = new HashMap<>();
        int[] batched = new int[inputShape.length + 1];
        batched[0] = 1;
        System.arraycopy(inputShape, 0, batched, 1, inputShape.length);
        Tensor probe = Tensor.zeros(DType.FLOAT32, Shape.of(batched));
        try (var scope = Autograd.noGrad()) {
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                Kind kind = KINDS.get(layer.name());
                Module module = kind.builder.build(layer.argument(), probe.shape().without(0), rng);
                try {
                    probe = module.eval().forward(probe);
                } catch (IllegalArgumentException e) {
                    throw bad(i + 1, layer.toString(), "it does not fit input of shape "
                            + probe.shape().without(0) + " (" + e.getMessage() + ")");
                }
                module.train(true);
                int n = counts.merge(kind.prefix, 1, Integer::sum);
                visitor.visit(kind.prefix + n, layer, module, probe.shape().without(0));
            }
        }
    }

    /** The canonical text, which {@link #parse} reads back to an equal specification. */
    @Override
    public String toString() {
        return String.join(" ", layers.stream().map(Layer::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec other && layers.equals(other.layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }
}
