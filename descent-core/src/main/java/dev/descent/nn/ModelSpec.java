package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.autograd.Autograd;
import dev.descent.tensor.DType;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Window;

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
 * <pre>conv(32,3) relu conv(64,3) relu maxpool(2) dropout(0.25) flatten dense(128) relu dropout(0.5) dense(10)</pre>
 * A token is a layer name, optionally followed by arguments in parentheses: positional ones
 * first, in the order listed below, then {@code key=value} ones, e.g.
 * {@code conv(64,3,stride=2,padding=same)}. Layers (arguments in brackets are optional, with
 * their defaults):
 * <ul>
 *   <li>{@code flatten}; {@code dense(out)}, a {@link Linear} layer whose input
 *       size is the last dimension of the previous layer's output;</li>
 *   <li>{@code conv(out, kernel [, stride=1, padding=0|same, dilation=1, groups=1, bias=true])},
 *       a {@link Conv2d} on examples {@code [C, H, W]};</li>
 *   <li>{@code maxpool(kernel [, stride=kernel, padding=0])}, {@code avgpool(...)} the same
 *       ({@link Pool2d}); {@code gap}, global average pooling ({@link GlobalAvgPool});</li>
 *   <li>{@code batchnorm [(eps=1e-5, momentum=0.1, affine=true)]} ({@link BatchNorm}, over axis 1
 *       of {@code [N, C]} or {@code [N, C, H, W]}); {@code layernorm [(eps=1e-5, affine=true)]}
 *       ({@link LayerNorm} over each whole example);</li>
 *   <li>the activations {@code relu}, {@code leaky_relu [(slope)]}, {@code elu [(alpha)]},
 *       {@code gelu}, {@code silu}, {@code sigmoid}, {@code tanh}; {@code softmax},
 *       {@code log_softmax} (last axis); {@code dropout(rate)};</li>
 *   <li>the recurrent layers {@code rnn(hidden [, seq=false, layers=1, dropout=0, bidirectional=false])},
 *       {@code lstm(...)} and {@code gru(...)} the same ({@link Recurrent}) on sequences
 *       {@code [T, F]}, or on one-channel images {@code [1, R, C]} read row by row: {@code seq=true}
 *       returns every step's output {@code [T, H]} (else the final state {@code [H]}), {@code layers}
 *       stacks them with {@code dropout} between, {@code bidirectional} doubles the features;</li>
 *   <li>{@code embedding(vocab, dim)}, token ids {@code [T]} to vectors {@code [T, dim]} ({@link Embedding}).</li>
 * </ul>
 * A whole specification may also be the name of a preset ({@link #PRESETS}: {@code mlp},
 * {@code lenet5}, {@code cnn}, and {@code lstm} and {@code gru}, which read images row by row),
 * which stands for its text.
 *
 * <p>{@link #build} names dense layers {@code fc1, fc2, …} (parameters {@code fc1.weight},
 * {@code fc1.bias}, …), batch norms {@code bn1, …}, layer norms {@code ln1, …} and every other
 * layer by its token name and a count ({@code conv1, relu1, dropout2, lstm1, …}; a recurrent
 * layer's parameters are PyTorch's, {@code lstm1.weight_ih_l0}, …). Shapes given to and
 * reported by {@link #build} and {@link #summary} are per example, without the batch axis. A
 * new layer type is one entry in the token table.
 */
public final class ModelSpec {
    /** The named specifications a whole text may be; all end in 10 outputs (the MNIST digits). */
    public static final Map<String, String> PRESETS = presets();

    /**
     * One token: the layer name and the arguments written, by parameter name, in the order the
     * layer declares them (numbers as {@link Double}, {@code true}/{@code false} as
     * {@link Boolean}, {@code same} as a string).
     */
    public record Layer(String name, Map<String, Object> arguments) {
        public Layer {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }

        @Override
        public String toString() {
            if (arguments.isEmpty()) {
                return name;
            }
            Kind kind = KINDS.get(name);
            List<String> parts = new ArrayList<>();
            boolean positional = true;
            for (int i = 0; i < kind.params.size(); i++) {
                Param p = kind.params.get(i);
                Object value = arguments.get(p.name);
                if (value == null) {
                    positional = false;
                    continue;
                }
                positional &= i < kind.positional;
                parts.add((positional ? "" : p.name + "=") + format(value));
            }
            return name + "(" + String.join(",", parts) + ")";
        }

        private static String format(Object value) {
            return value instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : value.toString();
        }
    }

    /** One row of {@link #summary}: module name, token, output shape per example, parameter count. */
    public record Row(String name, String layer, Shape outputShape, long parameters) {
    }

    /** What an argument may be, and how to say what it wants. */
    private enum Type {
        NUMBER("a number"),
        POSITIVE_NUMBER("a positive number"),
        POSITIVE_INTEGER("a positive integer"),
        NON_NEGATIVE_INTEGER("a whole number ≥ 0"),
        RATE("a rate in [0, 1)"),
        FRACTION("a number in [0, 1]"),
        BOOLEAN("true or false"),
        PADDING("a whole number ≥ 0 or same");

        private final String wants;

        Type(String wants) {
            this.wants = wants;
        }

        /** The value of {@code text}, or null when it is not one of this type. */
        Object read(String text) {
            if (this == BOOLEAN) {
                return text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
            }
            if (this == PADDING && text.equals("same")) {
                return text;
            }
            if (!NUMBER_TEXT.matcher(text).matches()) {
                return null;
            }
            double a = Double.parseDouble(text);
            boolean whole = a == Math.rint(a) && Math.abs(a) <= Integer.MAX_VALUE;
            boolean ok = switch (this) {
                case NUMBER -> Double.isFinite(a);
                case POSITIVE_NUMBER -> a > 0 && Double.isFinite(a);
                case POSITIVE_INTEGER -> whole && a >= 1;
                case NON_NEGATIVE_INTEGER, PADDING -> whole && a >= 0;
                case RATE -> a >= 0 && a < 1;
                case FRACTION -> a >= 0 && a <= 1;
                case BOOLEAN -> false;
            };
            return ok ? a : null;
        }
    }

    /** A parameter of a layer: its name, type and default (null when required or when absence means something). */
    private record Param(String name, Type type, boolean required, Object defaultValue) {
        static Param required(String name, Type type) {
            return new Param(name, type, true, null);
        }

        static Param optional(String name, Type type, Object defaultValue) {
            return new Param(name, type, false, defaultValue);
        }
    }

    /** The arguments of one token with the defaults filled in, read by the builders. */
    private record Arguments(Map<String, Object> given, List<Param> params) {
        Object get(String name) {
            Object v = given.get(name);
            if (v != null) {
                return v;
            }
            return params.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow().defaultValue;
        }

        int integer(String name) {
            return ((Double) get(name)).intValue();
        }

        double number(String name) {
            return (Double) get(name);
        }

        boolean flag(String name) {
            return (Boolean) get(name);
        }

        boolean has(String name) {
            return get(name) != null;
        }
    }

    /** Creates the module of a token from its arguments and the per-example input shape. */
    @FunctionalInterface
    private interface Builder {
        Module build(Arguments a, Shape input, RandomGenerator rng);
    }

    /**
     * A token type: its parameters (the first {@code positional} are written without names in
     * the canonical text), an example of its use, the prefix of module names, its builder.
     */
    private record Kind(List<Param> params, int positional, String example, String prefix, Builder builder) {
        static Kind plain(String name, Builder builder) {
            return new Kind(List.of(), 0, name, name, builder);
        }
    }

    private static final Map<String, Kind> KINDS = kinds();
    private static final Pattern TOKEN = Pattern.compile("([a-z_]+)(?:\\((.*)\\))?");
    private static final Pattern NUMBER_TEXT = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        Param bias = Param.optional("bias", Type.BOOLEAN, true);
        k.put("flatten", Kind.plain("flatten", (a, in, rng) -> new Flatten()));
        k.put("dense", new Kind(List.of(Param.required("out", Type.POSITIVE_INTEGER)), 1, "dense(128)", "fc",
                (a, in, rng) -> new Linear(in.rank() == 0 ? 1 : in.dim(-1), a.integer("out"), rng)));
        k.put("conv", new Kind(List.of(Param.required("out", Type.POSITIVE_INTEGER),
                Param.required("kernel", Type.POSITIVE_INTEGER), Param.optional("stride", Type.POSITIVE_INTEGER, 1.0),
                Param.optional("padding", Type.PADDING, 0.0), Param.optional("dilation", Type.POSITIVE_INTEGER, 1.0),
                Param.optional("groups", Type.POSITIVE_INTEGER, 1.0), bias), 2, "conv(32,3)", "conv", ModelSpec::conv));
        for (String pool : List.of("maxpool", "avgpool")) {
            k.put(pool, new Kind(List.of(Param.required("kernel", Type.POSITIVE_INTEGER),
                    Param.optional("stride", Type.POSITIVE_INTEGER, null),
                    Param.optional("padding", Type.NON_NEGATIVE_INTEGER, 0.0)), 1, pool + "(2)", pool, (a, in, rng) -> {
                        requireImages(in);
                        int kernel = a.integer("kernel"), stride = a.has("stride") ? a.integer("stride") : kernel;
                        return pool.equals("maxpool") ? Pool2d.max(kernel, stride, a.integer("padding"))
                                : Pool2d.average(kernel, stride, a.integer("padding"));
                    }));
        }
        k.put("gap", Kind.plain("gap", (a, in, rng) -> new GlobalAvgPool()));
        Param eps = Param.optional("eps", Type.POSITIVE_NUMBER, 1e-5), affine = Param.optional("affine", Type.BOOLEAN, true);
        k.put("batchnorm", new Kind(List.of(eps, Param.optional("momentum", Type.FRACTION, BatchNorm.MOMENTUM), affine), 0,
                "batchnorm(momentum=0.1)", "bn", (a, in, rng) -> {
                    if (in.rank() < 1) {
                        throw new IllegalArgumentException("batchnorm needs a channel axis");
                    }
                    return new BatchNorm(in.dim(0), a.number("eps"), a.number("momentum"), a.flag("affine"));
                }));
        k.put("layernorm", new Kind(List.of(eps, affine), 0, "layernorm(eps=1e-5)", "ln",
                (a, in, rng) -> new LayerNorm(in, a.number("eps"), a.flag("affine"))));
        k.put("dropout", new Kind(List.of(Param.required("rate", Type.RATE)), 1, "dropout(0.2)", "dropout",
                (a, in, rng) -> new Dropout(a.number("rate"), rng.nextLong())));
        for (RecurrentCell cell : RecurrentCell.values()) {
            String name = cell.name().toLowerCase(java.util.Locale.ROOT);
            k.put(name, new Kind(List.of(Param.required("hidden", Type.POSITIVE_INTEGER),
                    Param.optional("seq", Type.BOOLEAN, false), Param.optional("layers", Type.POSITIVE_INTEGER, 1.0),
                    Param.optional("dropout", Type.RATE, 0.0), Param.optional("bidirectional", Type.BOOLEAN, false)), 1,
                    name + "(128)", name, (a, in, rng) -> new Recurrent(cell, sequenceFeatures(in), a.integer("hidden"),
                            new Recurrent.Options(a.integer("layers"), a.flag("bidirectional"), a.number("dropout"),
                                    a.flag("seq")), rng)));
        }
        k.put("embedding", new Kind(List.of(Param.required("vocab", Type.POSITIVE_INTEGER),
                Param.required("dim", Type.POSITIVE_INTEGER)), 2, "embedding(64,32)", "embedding",
                (a, in, rng) -> new Embedding(a.integer("vocab"), a.integer("dim"), rng)));
        k.put("softmax", Kind.plain("softmax", (a, in, rng) -> new Softmax()));
        k.put("log_softmax", Kind.plain("log_softmax", (a, in, rng) -> Softmax.log(-1)));
        for (Activation.Kind f : Activation.Kind.values()) {
            String name = f.label();
            k.put(name, f.hasAlpha()
                    ? new Kind(List.of(Param.optional("alpha", Type.NUMBER, f.defaultAlpha())), 1,
                            name + "(" + f.defaultAlpha() + ")", name, (a, in, rng) -> new Activation(f, a.number("alpha")))
                    : Kind.plain(name, (a, in, rng) -> new Activation(f)));
        }
        return Collections.unmodifiableMap(k);
    }

    private static Map<String, String> presets() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mlp", "flatten dense(512) relu dropout(0.2) dense(256) relu dropout(0.2) dense(10)");
        p.put("lenet5", "conv(6,5,padding=2) relu maxpool(2) conv(16,5) relu maxpool(2) flatten dense(120) relu"
                + " dense(84) relu dense(10)");
        p.put("cnn", "conv(32,3) relu conv(64,3) relu maxpool(2) dropout(0.25) flatten dense(128) relu dropout(0.5)"
                + " dense(10)");
        p.put("lstm", "lstm(128) dense(10)");
        p.put("gru", "gru(128) dense(10)");
        return Collections.unmodifiableMap(p);
    }

    private static Module conv(Arguments a, Shape in, RandomGenerator rng) {
        requireImages(in);
        int kernel = a.integer("kernel"), dilation = a.integer("dilation"), stride = a.integer("stride");
        Window window;
        if ("same".equals(a.get("padding"))) {
            if (stride != 1) {
                throw new IllegalArgumentException("padding=same needs stride 1");
            }
            window = Window.same(kernel, dilation);
        } else {
            window = Window.square(kernel, stride, a.integer("padding"), dilation);
        }
        return new Conv2d(in.dim(0), a.integer("out"), window, a.integer("groups"), a.flag("bias"), rng);
    }

    /** The features per step of sequences {@code [T, F]} or of one-channel images {@code [1, R, C]} read row by row. */
    private static int sequenceFeatures(Shape in) {
        if (in.rank() == 2 || (in.rank() == 3 && in.dim(0) == 1)) {
            return in.dim(-1);
        }
        throw new IllegalArgumentException("it wants sequences [time, features] or one-channel images [1, rows, columns]");
    }

    private static void requireImages(Shape in) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException("it wants images [C, H, W]");
        }
    }

    private final List<Layer> layers;

    private ModelSpec(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    /**
     * Parses a specification, or the name of a preset; malformed text throws a
     * {@link DescentException} naming the offending token.
     */
    public static ModelSpec parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (PRESETS.containsKey(trimmed)) {
            return parse(PRESETS.get(trimmed));
        }
        List<String> tokens = tokens(trimmed);
        if (tokens.isEmpty()) {
            throw new DescentException("empty model specification: list the layers, like 'flatten dense(128) relu dense(10)',"
                    + " or name a preset: " + String.join(", ", PRESETS.keySet()));
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            layers.add(parseToken(i + 1, tokens.get(i)));
        }
        return new ModelSpec(layers);
    }

    /** Splits at whitespace outside parentheses, so {@code conv(64, 3)} stays one token. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char ch : text.toCharArray()) {
            if (Character.isWhitespace(ch) && depth == 0) {
                if (!current.isEmpty()) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
                continue;
            }
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (!Character.isWhitespace(ch)) {
                current.append(ch);
            }
        }
        if (!current.isEmpty()) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static Layer parseToken(int position, String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw bad(position, token, "write a layer name, optionally with arguments in parentheses, like dense(128)");
        }
        String name = m.group(1), argText = m.group(2);
        Kind kind = KINDS.get(name);
        if (kind == null) {
            throw bad(position, token, "unknown layer '" + name + "', use one of " + String.join(", ", KINDS.keySet()));
        }
        if (kind.params.isEmpty()) {
            if (argText != null) {
                throw bad(position, token, name + " takes no argument: write " + name);
            }
            return new Layer(name, Map.of());
        }
        Map<String, Object> given = new LinkedHashMap<>();
        String[] args = argText == null || argText.isEmpty() ? new String[0] : argText.split(",", -1);
        boolean named = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            Param param;
            String value;
            if (eq >= 0) {
                named = true;
                String key = arg.substring(0, eq);
                param = kind.params.stream().filter(p -> p.name.equals(key)).findFirst().orElseThrow(() ->
                        bad(position, token, name + " has no argument '" + key + "'; it takes "
                                + String.join(", ", kind.params.stream().map(Param::name).toList())));
                value = arg.substring(eq + 1);
            } else {
                if (named || i >= kind.params.size()) {
                    throw bad(position, token, (named ? "a positional argument after a named one" : "too many arguments")
                            + "; write it like " + kind.example);
                }
                param = kind.params.get(i);
                value = arg;
            }
            Object v = param.type.read(value);
            if (v == null) {
                throw bad(position, token, wants(name, kind, param));
            }
            if (given.put(param.name, v) != null) {
                throw bad(position, token, name + " is given " + param.name + " twice");
            }
        }
        for (Param p : kind.params) {
            if (p.required && !given.containsKey(p.name)) {
                throw bad(position, token, wants(name, kind, p));
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        kind.params.forEach(p -> {
            if (given.containsKey(p.name)) {
                ordered.put(p.name, given.get(p.name));
            }
        });
        return new Layer(name, ordered);
    }

    private static String wants(String name, Kind kind, Param param) {
        return name + (kind.params.size() == 1 ? "" : " " + param.name) + " wants " + param.type.wants + ", like " + kind.example;
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
                Module module;
                try {
                    module = kind.builder.build(new Arguments(layer.arguments(), kind.params), probe.shape().without(0), rng);
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
