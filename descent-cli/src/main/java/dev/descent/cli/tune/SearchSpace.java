package dev.descent.cli.tune;

import dev.descent.DescentException;
import dev.descent.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A hyperparameter search space, read from a JSON object whose keys are {@code descent train}
 * options (without the dashes) and whose values say how each is drawn:
 * <pre>
 *   {"lr":         {"log_uniform": [1e-4, 1e-2]},          lr = exp(U(ln a, ln b))
 *    "batch-size": {"choice": [64, 128, 256]},             one of the values, equally likely
 *    "layers":     {"choice": ["512,256", "1024"]},
 *    "dropout":    {"uniform": [0, 0.5], "when": {"layers": ["512,256"]}},   U(a, b), only in those configurations
 *    "epochs":     {"int": [5, 20]},                       an integer, uniform in [a, b]
 *    "optimizer":  "adam"}                                 a fixed value for every trial
 * </pre>
 * An entry with {@code "when": {"KEY": [values]}} is active only when KEY is active and took one of
 * those values; it must come after KEY. A value {@code true} becomes a flag ({@code --KEY}),
 * {@code false} leaves the option out. Any option of {@code descent train} may be a key, so options
 * added to {@code train} later can be tuned without changing the tuner.
 */
public final class SearchSpace {

    /** How one parameter is drawn. */
    public sealed interface Domain {
    }

    /** One of the listed values. */
    public record Choice(List<Object> values) implements Domain {
    }

    /** Uniform in [low, high]; log-uniform when {@code log}. */
    public record Range(double low, double high, boolean log) implements Domain {
    }

    /** A whole number uniform in [low, high]. */
    public record IntRange(long low, long high) implements Domain {
    }

    /** The same value in every trial. */
    public record Fixed(Object value) implements Domain {
    }

    /**
     * One entry of the space.
     *
     * @param name      the {@code descent train} option without its dashes
     * @param domain    how it is drawn
     * @param parent    the parameter it depends on, or null
     * @param whenValues the values of {@code parent} under which it is active
     */
    public record Parameter(String name, Domain domain, String parent, List<Object> whenValues) {
        /** Whether this parameter is active in a configuration that holds the earlier parameters. */
        public boolean activeIn(Map<String, Object> config) {
            return parent == null || (config.containsKey(parent) && whenValues.stream().anyMatch(v -> same(v, config.get(parent))));
        }
    }

    /** The largest magnitude of an {@code int} bound: 2^53, below which every whole number is an exact double. */
    static final double MAX_INT_BOUND = 0x1p53;

    /** The options the tuner sets for every trial itself. */
    static final java.util.Set<String> RESERVED = java.util.Set.of("out", "json", "seed", "threads", "resume", "no-plots", "validation");

    private final List<Parameter> parameters;

    private SearchSpace(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameters that vary (not fixed). */
    public List<Parameter> varying() {
        return parameters.stream().filter(p -> !(p.domain() instanceof Fixed)).toList();
    }

    /** Reads a space file. */
    public static SearchSpace read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new DescentException("cannot read the search space " + file + " (" + e.getMessage() + "); give an existing JSON file");
        }
        try {
            return parse(text);
        } catch (DescentException e) {
            throw new DescentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON text of a space (see the class comment). */
    public static SearchSpace parse(String json) {
        Map<String, Object> root = Json.parseObject(json);
        if (root.isEmpty()) {
            throw new DescentException("the search space is empty; give at least one option, e.g. {\"lr\": {\"log_uniform\": [1e-4, 1e-2]}}");
        }
        List<Parameter> params = new ArrayList<>();
        Map<String, Parameter> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String name = e.getKey();
            if (!name.matches("[a-z][a-z0-9-]*")) {
                throw new DescentException("search space key '" + name + "' is not a descent train option name; use e.g. \"lr\", \"batch-size\"");
            }
            if (RESERVED.contains(name)) {
                throw new DescentException("search space key '" + name + "' is set by descent tune itself; leave it out");
            }
            Parameter p = parameter(name, e.getValue(), seen);
            params.add(p);
            seen.put(name, p);
        }
        return new SearchSpace(params);
    }

    private static Parameter parameter(String name, Object spec, Map<String, Parameter> earlier) {
        if (!(spec instanceof Map<?, ?> m)) {
            if (spec == null || spec instanceof List) {
                throw new DescentException("'" + name + "': give a value or an object such as {\"choice\": [...]}");
            }
            return new Parameter(name, new Fixed(spec), null, List.of());
        }
        String parent = null;
        List<Object> when = List.of();
        Domain domain = null;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String kind = (String) e.getKey();
            Object arg = e.getValue();
            switch (kind) {
                case "choice" -> domain = new Choice(list(name, kind, arg, 1));
                case "uniform", "log_uniform" -> {
                    List<Object> ab = list(name, kind, arg, 2);
                    double a = number(name, kind, ab.get(0)), b = number(name, kind, ab.get(1));
                    if (ab.size() != 2 || !(a < b) || (kind.equals("log_uniform") && !(a > 0)) || Double.isInfinite(b - a)) {
                        throw new DescentException("'" + name + "': " + kind + " needs [low, high] with low < high"
                                + (kind.equals("log_uniform") ? " and low > 0" : " and high − low below 1.8e308")
                                + ", got " + arg);
                    }
                    domain = new Range(a, b, kind.equals("log_uniform"));
                }
                case "int" -> {
                    List<Object> ab = list(name, kind, arg, 2);
                    double a = number(name, kind, ab.get(0)), b = number(name, kind, ab.get(1));
                    if (ab.size() != 2 || a != Math.rint(a) || b != Math.rint(b) || !(a <= b)
                            || Math.max(Math.abs(a), Math.abs(b)) > MAX_INT_BOUND) {
                        throw new DescentException("'" + name + "': int needs [low, high], two whole numbers with low ≤ high"
                                + " within ±2^53, got " + arg);
                    }
                    domain = new IntRange((long) a, (long) b);
                }
                case "when" -> {
                    if (!(arg instanceof Map<?, ?> cond) || cond.size() != 1) {
                        throw new DescentException("'" + name + "': \"when\" needs one condition, e.g. {\"layers\": [\"512,256\"]}");
                    }
                    Map.Entry<?, ?> c = cond.entrySet().iterator().next();
                    parent = (String) c.getKey();
                    if (!earlier.containsKey(parent)) {
                        throw new DescentException("'" + name + "': its condition names '" + parent
                                + "', which must be an entry of the space before it");
                    }
                    when = c.getValue() instanceof List<?> l ? List.copyOf(l) : List.of(c.getValue());
                }
                default -> throw new DescentException("'" + name + "': unknown kind '" + kind
                        + "'; use choice, uniform, log_uniform, int (and when)");
            }
        }
        if (domain == null) {
            throw new DescentException("'" + name + "': say how to draw it: choice, uniform, log_uniform or int");
        }
        return new Parameter(name, domain, parent, when);
    }

    private static List<Object> list(String name, String kind, Object arg, int min) {
        if (!(arg instanceof List<?> l) || l.size() < min) {
            throw new DescentException("'" + name + "': " + kind + " needs a list" + (min == 2 ? " [low, high]" : " of values") + ", got " + arg);
        }
        return new ArrayList<>(l);
    }

    private static double number(String name, String kind, Object v) {
        if (!(v instanceof Number n)) {
            throw new DescentException("'" + name + "': " + kind + " needs numbers, got " + v);
        }
        return n.doubleValue();
    }

    /** A configuration drawn at random: each active parameter from its domain, in order. */
    public Map<String, Object> sample(RandomGenerator rng) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (p.activeIn(config)) {
                config.put(p.name(), draw(p.domain(), rng));
            }
        }
        return config;
    }

    /** One value of {@code domain}. */
    public static Object draw(Domain domain, RandomGenerator rng) {
        return switch (domain) {
            case Fixed f -> f.value();
            case Choice c -> c.values().get(rng.nextInt(c.values().size()));
            case Range r -> r.log() ? Math.exp(Math.log(r.low()) + rng.nextDouble() * (Math.log(r.high()) - Math.log(r.low())))
                    : r.low() + rng.nextDouble() * (r.high() - r.low());
            case IntRange i -> i.low() + rng.nextLong(i.high() - i.low() + 1);
        };
    }

    /**
     * Every configuration of the grid: choices enumerated, ranges at {@code points} evenly spaced
     * values (log-spaced for log-uniform, rounded for int), conditional entries only where active;
     * in lexicographic order of the parameters.
     */
    public List<Map<String, Object>> grid(int points) {
        List<Map<String, Object>> configs = new ArrayList<>();
        configs.add(new LinkedHashMap<>());
        for (Parameter p : parameters) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> c : configs) {
                if (!p.activeIn(c)) {
                    next.add(c);
                    continue;
                }
                for (Object v : gridValues(p.domain(), points)) {
                    Map<String, Object> extended = new LinkedHashMap<>(c);
                    extended.put(p.name(), v);
                    next.add(extended);
                }
            }
            configs = next;
        }
        return configs;
    }

    static List<Object> gridValues(Domain domain, int points) {
        return switch (domain) {
            case Fixed f -> List.of(f.value());
            case Choice c -> c.values();
            case Range r -> {
                List<Object> v = new ArrayList<>();
                for (int i = 0; i < points; i++) {
                    double t = points == 1 ? 0.5 : (double) i / (points - 1);
                    v.add(r.log() ? Math.exp(Math.log(r.low()) + t * (Math.log(r.high()) - Math.log(r.low())))
                            : r.low() + t * (r.high() - r.low()));
                }
                yield v;
            }
            case IntRange i -> {
                List<Object> v = new ArrayList<>();
                for (int k = 0; k < points; k++) {
                    long x = Math.round(i.low() + (points == 1 ? 0.5 : (double) k / (points - 1)) * (i.high() - i.low()));
                    if (!v.contains(x)) {
                        v.add(x);
                    }
                }
                yield v;
            }
        };
    }

    /** The {@code descent train} arguments of a configuration: {@code --KEY VALUE}, {@code true} as a flag. */
    public static List<String> arguments(Map<String, Object> config) {
        List<String> args = new ArrayList<>();
        config.forEach((k, v) -> {
            if (v instanceof Boolean b) {
                if (b) {
                    args.add("--" + k);
                }
            } else {
                args.add("--" + k);
                args.add(text(v));
            }
        });
        return args;
    }

    /** A value as written on the command line (whole numbers without ".0"). */
    public static String text(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
        }
        return String.valueOf(v);
    }

    /** Whether two JSON values are equal, numbers compared by value. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d parameters (%s)", parameters.size(),
                String.join(", ", parameters.stream().map(Parameter::name).toList()));
    }
}
