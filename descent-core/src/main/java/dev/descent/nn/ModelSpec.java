package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Autograd;
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
import java.util.Locale;
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
 * new layer type is one entry in the token table: its parameters, its builder and its sizer
 * (output shape and parameter count from the input shape alone).
 *
 * <p>Sizes are bounded: a whole-number argument is at most {@link #MAX_SIZE}, and before
 * {@link #build} or {@link #summary} allocates anything, {@link #requireFitsIn} refuses a
 * network that cannot be trained in the memory Java may use.
 */
public final class ModelSpec {
    /** The named specifications a whole text may be; all end in 10 outputs (the MNIST digits). */
    public static final Map<String, String> PRESETS = presets();

    /** The largest whole-number argument a layer takes (a width, a kernel, a stride, ...): 16,777,216. */
    public static final int MAX_SIZE = 1 << 24;

    /**
     * The memory a parameter takes while training, as {@link #requireFitsIn} counts it: four
     * float32 copies (the weight, its gradient and two optimizer moments, as Adam keeps).
     */
    public static final int BYTES_PER_PARAMETER = 4 * Float.BYTES;

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

        /** Whether it is a whole-number size (a width, kernel, stride, padding, ...), at most {@link #MAX_SIZE}. */
        boolean isSize() {
            return this == POSITIVE_INTEGER || this == NON_NEGATIVE_INTEGER || this == PADDING;
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

    /** A layer's output shape per example and its parameter count. */
    private record Size(long[] output, long parameters) {
        static Size same(long[] input) {
            return new Size(input, 0);
        }
    }

    /**
     * Sizes a layer from its arguments and per-example input shape alone, allocating nothing;
     * null when the layer does not suit that input (its builder then says why).
     */
    @FunctionalInterface
    private interface Sizer {
        Size size(Arguments a, long[] in);
    }

    /**
     * A token type: its parameters (the first {@code positional} are written without names in
     * the canonical text), an example of its use, the prefix of module names, its builder and
     * its sizer.
     */
    private record Kind(List<Param> params, int positional, String example, String prefix, Builder builder, Sizer sizer) {
        /** A layer without arguments or parameters that keeps the shape of its input. */
        static Kind plain(String name, Builder builder) {
            return new Kind(List.of(), 0, name, name, builder, (a, in) -> Size.same(in));
        }
    }

    private static final Map<String, Kind> KINDS = kinds();
    private static final Pattern TOKEN = Pattern.compile("([a-z_]+)(?:\\((.*)\\))?");
    private static final Pattern NUMBER_TEXT = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static Map<String, Kind> kinds() {
        Map<String, Kind> k = new LinkedHashMap<>();
        Param bias = Param.optional("bias", Type.BOOLEAN, true);
        k.put("flatten", new Kind(List.of(), 0, "flatten", "flatten", (a, in, rng) -> new Flatten(),
                (a, in) -> new Size(new long[] {elements(in)}, 0)));
        k.put("dense", new Kind(List.of(Param.required("out", Type.POSITIVE_INTEGER)), 1, "dense(128)", "fc",
                (a, in, rng) -> new Linear(in.rank() == 0 ? 1 : in.dim(-1), a.integer("out"), rng), ModelSpec::denseSize));
        k.put("conv", new Kind(List.of(Param.required("out", Type.POSITIVE_INTEGER),
                Param.required("kernel", Type.POSITIVE_INTEGER), Param.optional("stride", Type.POSITIVE_INTEGER, 1.0),
                Param.optional("padding", Type.PADDING, 0.0), Param.optional("dilation", Type.POSITIVE_INTEGER, 1.0),
                Param.optional("groups", Type.POSITIVE_INTEGER, 1.0), bias), 2, "conv(32,3)", "conv", ModelSpec::conv,
                ModelSpec::convSize));
        for (String pool : List.of("maxpool", "avgpool")) {
            k.put(pool, new Kind(List.of(Param.required("kernel", Type.POSITIVE_INTEGER),
                    Param.optional("stride", Type.POSITIVE_INTEGER, null),
                    Param.optional("padding", Type.NON_NEGATIVE_INTEGER, 0.0)), 1, pool + "(2)", pool, (a, in, rng) -> {
                        requireImages(in);
                        return pool.equals("maxpool") ? Pool2d.max(a.integer("kernel"), poolStride(a), a.integer("padding"))
                                : Pool2d.average(a.integer("kernel"), poolStride(a), a.integer("padding"));
                    }, ModelSpec::poolSize));
        }
        k.put("gap", new Kind(List.of(), 0, "gap", "gap", (a, in, rng) -> new GlobalAvgPool(),
                (a, in) -> in.length < 2 ? null : new Size(new long[] {in[0]}, 0)));
        Param eps = Param.optional("eps", Type.POSITIVE_NUMBER, 1e-5), affine = Param.optional("affine", Type.BOOLEAN, true);
        k.put("batchnorm", new Kind(List.of(eps, Param.optional("momentum", Type.FRACTION, BatchNorm.MOMENTUM), affine), 0,
                "batchnorm(momentum=0.1)", "bn", (a, in, rng) -> {
                    if (in.rank() < 1) {
                        throw new IllegalArgumentException("batchnorm needs a channel axis");
                    }
                    return new BatchNorm(in.dim(0), a.number("eps"), a.number("momentum"), a.flag("affine"));
                }, (a, in) -> in.length < 1 ? null : new Size(in, a.flag("affine") ? 2 * in[0] : 0)));
        k.put("layernorm", new Kind(List.of(eps, affine), 0, "layernorm(eps=1e-5)", "ln",
                (a, in, rng) -> new LayerNorm(in, a.number("eps"), a.flag("affine")),
                (a, in) -> new Size(in, a.flag("affine") ? 2 * elements(in) : 0)));
        k.put("dropout", new Kind(List.of(Param.required("rate", Type.RATE)), 1, "dropout(0.2)", "dropout",
                (a, in, rng) -> new Dropout(a.number("rate"), rng.nextLong()), (a, in) -> Size.same(in)));
        for (RecurrentCell cell : RecurrentCell.values()) {
            String name = cell.name().toLowerCase(java.util.Locale.ROOT);
            k.put(name, new Kind(List.of(Param.required("hidden", Type.POSITIVE_INTEGER),
                    Param.optional("seq", Type.BOOLEAN, false), Param.optional("layers", Type.POSITIVE_INTEGER, 1.0),
                    Param.optional("dropout", Type.RATE, 0.0), Param.optional("bidirectional", Type.BOOLEAN, false)), 1,
                    name + "(128)", name, (a, in, rng) -> new Recurrent(cell, sequenceFeatures(in), a.integer("hidden"),
                            new Recurrent.Options(a.integer("layers"), a.flag("bidirectional"), a.number("dropout"),
                                    a.flag("seq")), rng), (a, in) -> recurrentSize(cell, a, in)));
        }
        k.put("embedding", new Kind(List.of(Param.required("vocab", Type.POSITIVE_INTEGER),
                Param.required("dim", Type.POSITIVE_INTEGER)), 2, "embedding(64,32)", "embedding",
                (a, in, rng) -> new Embedding(a.integer("vocab"), a.integer("dim"), rng), (a, in) -> {
                    long[] out = Arrays.copyOf(in, in.length + 1);
                    out[in.length] = a.integer("dim");
                    return new Size(out, (long) a.integer("vocab") * a.integer("dim"));
                }));
        k.put("softmax", Kind.plain("softmax", (a, in, rng) -> new Softmax()));
        k.put("log_softmax", Kind.plain("log_softmax", (a, in, rng) -> Softmax.log(-1)));
        for (Activation.Kind f : Activation.Kind.values()) {
            String name = f.label();
            k.put(name, f.hasAlpha()
                    ? new Kind(List.of(Param.optional("alpha", Type.NUMBER, f.defaultAlpha())), 1,
                            name + "(" + f.defaultAlpha() + ")", name, (a, in, rng) -> new Activation(f, a.number("alpha")),
                            (a, in) -> Size.same(in))
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
        return new Conv2d(in.dim(0), a.integer("out"), convWindow(a), a.integer("groups"), a.flag("bias"), rng);
    }

    private static Window convWindow(Arguments a) {
        int kernel = a.integer("kernel"), dilation = a.integer("dilation"), stride = a.integer("stride");
        if ("same".equals(a.get("padding"))) {
            if (stride != 1) {
                throw new IllegalArgumentException("padding=same needs stride 1");
            }
            return Window.same(kernel, dilation);
        }
        return Window.square(kernel, stride, a.integer("padding"), dilation);
    }

    private static int poolStride(Arguments a) {
        return a.has("stride") ? a.integer("stride") : a.integer("kernel");
    }

    /** {@code [..., in] → [..., out]}, {@code in·out + out} parameters (a scalar example is one input). */
    private static Size denseSize(Arguments a, long[] in) {
        long inputs = in.length == 0 ? 1 : in[in.length - 1], out = a.integer("out");
        long[] output = in.length == 0 ? new long[] {out} : in.clone();
        output[output.length - 1] = out;
        return new Size(output, inputs * out + out);
    }

    /** {@code [C, H, W] → [out, H', W']}, {@code out·(C/groups)·k² (+ out)} parameters. */
    private static Size convSize(Arguments a, long[] in) {
        int out = a.integer("out"), groups = a.integer("groups"), kernel = a.integer("kernel");
        if (in.length != 3 || in[0] % groups != 0 || out % groups != 0
                || ("same".equals(a.get("padding")) && a.integer("stride") != 1)) {
            return null;
        }
        long weights = elements(new long[] {out, in[0] / groups, kernel, kernel});
        return windowSize(convWindow(a), out, in, weights + (a.flag("bias") ? out : 0));
    }

    private static Size poolSize(Arguments a, long[] in) {
        int kernel = a.integer("kernel"), padding = a.integer("padding");
        return in.length != 3 || 2L * padding > kernel ? null
                : windowSize(Window.square(kernel, poolStride(a), padding, 1), in[0], in, 0);
    }

    /** {@code [channels, H', W']} of a window over {@code [C, H, W]}, or null when the window does not fit. */
    private static Size windowSize(Window window, long channels, long[] in, long parameters) {
        long height = window.outHeight((int) in[1]), width = window.outWidth((int) in[2]);
        return height < 1 || width < 1 ? null : new Size(new long[] {channels, height, width}, parameters);
    }

    /**
     * {@code [T, F]} (or a one-channel image {@code [1, T, F]}) → {@code [T, H·dirs]} with
     * {@code seq}, else {@code [H·dirs]}; each layer and direction has {@code G·H·(F_l + H) + 2·G·H}
     * parameters, {@code F_0 = F} and {@code F_l = H·dirs} above; null for other inputs.
     */
    private static Size recurrentSize(RecurrentCell cell, Arguments a, long[] in) {
        if (!(in.length == 2 || (in.length == 3 && in[0] == 1))) {
            return null;
        }
        long hidden = a.integer("hidden"), directions = a.flag("bidirectional") ? 2 : 1, width = cell.gates() * hidden;
        long parameters = 0;
        for (int layer = 0; layer < a.integer("layers"); layer++) {
            long features = layer == 0 ? in[in.length - 1] : hidden * directions;
            parameters += directions * (width * (features + hidden) + 2 * width);
        }
        long steps = in[in.length - 2];
        return new Size(a.flag("seq") ? new long[] {steps, hidden * directions} : new long[] {hidden * directions}, parameters);
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
            if (param.type.isSize() && v instanceof Double d && d > MAX_SIZE) {
                throw bad(position, token, name + " " + param.name + " " + value + " is larger than the largest size"
                        + String.format(Locale.ROOT, " Descent accepts, %,d", MAX_SIZE));
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

    /**
     * Refuses, before anything is allocated, a network for examples of {@code inputShape} that
     * cannot be trained in {@code bytes} of memory: its parameter count {@code P} and the largest
     * layer output of one example {@code A} (input included), computed from the shapes alone,
     * must satisfy {@code BYTES_PER_PARAMETER·P + 4·A ≤ bytes}, and no layer may hold or make more
     * values than a tensor holds (2^31 − 1). {@link #build} and {@link #summary} check this
     * against {@link Runtime#maxMemory()}. Layers that do not fit their input are left to
     * {@link #build} to report.
     */
    public void requireFitsIn(int[] inputShape, long bytes) {
        if (Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new DescentException("input shape " + Arrays.toString(inputShape) + " must have positive dimensions");
        }
        long[] shape = Arrays.stream(inputShape).asLongStream().toArray();
        long largest = elements(shape), parameters = 0;
        if (largest > Integer.MAX_VALUE) {
            throw new DescentException(String.format(Locale.ROOT, "input shape %s has %s values per example, more than"
                    + " a tensor holds (2^31 − 1); give smaller inputs", Arrays.toString(inputShape), count(largest)));
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Kind kind = KINDS.get(layer.name());
            Size size;
            try {
                size = kind.sizer.size(new Arguments(layer.arguments(), kind.params), shape);
            } catch (IllegalArgumentException e) {
                throw bad(i + 1, layer.toString(), "it does not fit input of shape " + Arrays.toString(shape)
                        + " (" + e.getMessage() + ")");
            }
            if (size == null) {
                break; // the layer does not suit its input: build() names the problem
            }
            long values = elements(size.output());
            if (size.parameters() > Integer.MAX_VALUE || values > Integer.MAX_VALUE) {
                throw bad(i + 1, layer.toString(), String.format(Locale.ROOT, "it would have %s parameters and %s outputs"
                        + " per example, more than a tensor holds (2^31 − 1); make the layer smaller",
                        count(size.parameters()), count(values)));
            }
            parameters += size.parameters();
            largest = Math.max(largest, values);
            shape = size.output();
        }
        long needed = BYTES_PER_PARAMETER * parameters + (long) Float.BYTES * largest;
        if (needed > bytes) {
            throw new DescentException(String.format(Locale.ROOT, "the model '%s' has %,d parameters: training it needs"
                    + " about %s (%d bytes per parameter for weights, gradients and optimizer state, and one example's"
                    + " largest layer output), more than the %s this Java process may use; make the layers smaller,"
                    + " or give Java more memory (-Xmx, e.g. DESCENT_JAVA_OPTS=-Xmx16g)",
                    this, parameters, gigabytes(needed), BYTES_PER_PARAMETER, gigabytes(bytes)));
        }
    }

    /** Where {@link #elements} stops counting, 2^62, so that sums of a few counts never overflow a long. */
    private static final long UNCOUNTABLE = 1L << 62;

    /** The product of {@code dims}, or {@link #UNCOUNTABLE} when it is that large or larger. */
    private static long elements(long[] dims) {
        long n = 1;
        for (long d : dims) {
            try {
                n = Math.min(Math.multiplyExact(n, d), UNCOUNTABLE);
            } catch (ArithmeticException overflow) {
                return UNCOUNTABLE;
            }
        }
        return n;
    }

    private static String count(long n) {
        return n >= UNCOUNTABLE ? "over 4.6e18" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /** Creates each layer in turn, feeding a zero example through it to learn its output shape. */
    private void trace(int[] inputShape, RandomGenerator rng, Visitor visitor) {
        requireFitsIn(inputShape, Runtime.getRuntime().maxMemory());
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
