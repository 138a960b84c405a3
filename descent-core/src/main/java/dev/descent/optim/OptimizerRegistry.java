package dev.descent.optim;

import dev.descent.DescentException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The optimizers the command line offers: name → hyperparameters with defaults → factory.
 * sgd, momentum, rmsprop and adam also take {@code weight_decay} (default 0), added to the gradient as L2
 * regularisation before the optimizer ({@code g + wd·p}, PyTorch's {@code weight_decay}); the
 * other optimizers take it only where optax does, with optax's meaning (see the table).
 * Flags ({@code nesterov}, {@code eps_in_sqrt}) are 0 or 1.
 *
 * <p>Choices: the learning-rate defaults are Keras' (optax has none); {@code rmsprop} follows
 * the lecture, ε = 1e-7 inside the root ({@code eps_in_sqrt=1}; optax: 1e-8 inside, PyTorch:
 * 1e-8 outside with {@code eps_in_sqrt=0}); {@code momentum} is the lecture's velocity form
 * {@code v := α·v − lr·g; w := w + v}.
 */
public final class OptimizerRegistry {
    private OptimizerRegistry() {
    }

    /**
     * The hyperparameter values handed to a factory: the defaults, overridden by the user's,
     * and the shape of the learning rate over the steps ({@code lr(c) = lr · shape(c)}).
     */
    public record Hyperparameters(String optimizer, Map<String, Double> values, Schedule lrShape) {

        /** The learning rate as a schedule: {@code lr · shape(c)}. */
        public Schedule lr() {
            double lr = get("lr");
            return count -> lr * lrShape.at(count);
        }

        /** The value of {@code name}. */
        public double get(String name) {
            Double v = values.get(name);
            if (v == null) {
                throw new IllegalStateException(optimizer + " reads undeclared hyperparameter " + name);
            }
            return v;
        }

        /** A whole number (e.g. a seed). */
        public long integer(String name) {
            double v = get(name);
            if (v != Math.rint(v) || Math.abs(v) > 1L << 53) {
                throw new DescentException(optimizer + ": " + name + " must be a whole number, got " + v);
            }
            return (long) v;
        }

        /** A 0/1 flag. */
        public boolean flag(String name) {
            double v = get(name);
            if (v != 0 && v != 1) {
                throw new DescentException(optimizer + ": " + name + " is a flag, got " + v + "; use 0 or 1");
            }
            return v == 1;
        }

        /** {@code tx} preceded by {@code addDecayedWeights(weight_decay)} when that is not 0. */
        GradientTransformation l2(GradientTransformation tx) {
            double wd = get("weight_decay");
            return wd == 0 ? tx : Transforms.chain(Transforms.addDecayedWeights(wd), tx);
        }
    }

    private record Entry(String name, String defaults, String summary,
                         Function<Hyperparameters, GradientTransformation> factory) {
    }

    // name, hyperparameters with defaults, summary (its update rule), factory: one row each.
    private static final Map<String, Entry> TABLE = table(
            // optax's optimizers, optax's defaults; lr: optax has none, so §8.1's test rate (adadelta: 1,
            // PyTorch's, as optax's None would ascend). weight_decay only where optax has it: decoupled
            // (u = −lr·(d + wd·p)) except adadelta's, which is L2 before the scaling, as in optax.
            new Entry("adabelief", "lr=1e-2,b1=0.9,b2=0.999,eps=1e-16,eps_root=1e-16,weight_decay=0,nesterov=0",
                    "AdaBelief: s EMA of (g − m)² + eps_root; u = −lr·(m̂/(√ŝ + eps) + wd·p)",
                    h -> Optimizers.adabelief(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("weight_decay"), h.flag("nesterov"))),
            new Entry("adadelta", "lr=1,rho=0.9,eps=1e-6,weight_decay=0",
                    "Adadelta: g += wd·p; δ = √(Ex + eps)/√(Eg + eps)·g; u = −lr·δ",
                    h -> Optimizers.adadelta(h.lr(), h.get("rho"), h.get("eps"), h.get("weight_decay"))),
            new Entry("adagrad", "lr=1,initial_accumulator_value=0.1,eps=1e-7",
                    "Adagrad: S ← S + g²; u = −lr·g/√(S + eps)",
                    h -> Optimizers.adagrad(h.lr(), h.get("initial_accumulator_value"), h.get("eps"))),
            new Entry("adamax", "lr=0.1,b1=0.9,b2=0.999,eps=1e-8",
                    "Adamax: v ← max(|g| + eps, b2·v); u = −lr·m̂/v",
                    h -> Optimizers.adamax(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"))),
            new Entry("adamaxw", "lr=0.1,b1=0.9,b2=0.999,eps=1e-8,weight_decay=1e-4",
                    "AdamaxW: u = −lr·(m̂/v + wd·p), Adamax with decoupled weight decay",
                    h -> Optimizers.adamaxw(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("weight_decay"))),
            new Entry("adamw", "lr=0.1,b1=0.9,b2=0.999,eps=1e-8,eps_root=0,weight_decay=1e-4",
                    "AdamW: u = −lr·(m̂/(√(v̂ + eps_root) + eps) + wd·p), decoupled weight decay",
                    h -> Optimizers.adamw(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("weight_decay"))),
            new Entry("amsgrad", "lr=0.1,b1=0.9,b2=0.999,eps=1e-8,eps_root=0",
                    "AMSGrad: vmax ← max(vmax, v̂); u = −lr·m̂/(√(vmax + eps_root) + eps)",
                    h -> Optimizers.amsgrad(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"))),
            new Entry("lion", "lr=1e-2,b1=0.9,b2=0.99,weight_decay=1e-3",
                    "Lion: u = −lr·(sign((1 − b1)·g + b1·m) + wd·p); m ← (1 − b2)·g + b2·m",
                    h -> Optimizers.lion(h.lr(), h.get("b1"), h.get("b2"), h.get("weight_decay"))),
            new Entry("nadam", "lr=1e-2,b1=0.9,b2=0.999,eps=1e-8,eps_root=0",
                    "NAdam (optax): Adam with m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t)",
                    h -> Optimizers.nadam(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"))),
            new Entry("nadamw", "lr=1e-2,b1=0.9,b2=0.999,eps=1e-8,eps_root=0,weight_decay=1e-4",
                    "NAdamW: NAdam with decoupled weight decay, u = −lr·(d + wd·p)",
                    h -> Optimizers.nadamw(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("weight_decay"))),
            new Entry("noisy_sgd", "lr=1e-3,eta=0.01,gamma=0.55,seed=0",
                    "noisy SGD: u = −lr·(g + √(eta/t^gamma)·ξ), ξ ~ N(0, 1) from the seed",
                    h -> Optimizers.noisySgd(h.lr(), h.get("eta"), h.get("gamma"), h.integer("seed"))),
            new Entry("radam", "lr=5e-3,b1=0.9,b2=0.999,eps=1e-8,eps_root=0,threshold=5,nesterov=0",
                    "RAdam: u = −lr·r_t·m̂/(√(v̂ + eps_root) + eps) once ρ_t ≥ threshold, else −lr·m̂",
                    h -> Optimizers.radam(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("threshold"), h.flag("nesterov"))),
            new Entry("sign_sgd", "lr=0.1",
                    "signSGD: u = −lr·sign(g)",
                    h -> Optimizers.signSgd(h.lr())),
            new Entry("yogi", "lr=0.1,b1=0.9,b2=0.999,eps=1e-3",
                    "Yogi: v ← v − (1 − b2)·sign(v − g²)·g²; u = −lr·m̂/(√v̂ + eps)",
                    h -> Optimizers.yogi(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"))),
            new Entry("sgd", "lr=0.01,momentum=0,nesterov=0,weight_decay=0",
                    "SGD, optax/PyTorch momentum: τ ← g + μ·τ; u = −lr·τ (μ = 0: u = −lr·g)",
                    h -> h.l2(Optimizers.sgd(h.lr(), h.get("momentum"), h.flag("nesterov")))),
            new Entry("momentum", "lr=0.01,momentum=0.9,weight_decay=0",
                    "lecture momentum: v ← momentum·v − lr·g; w ← w + v",
                    h -> h.l2(Optimizers.momentum(h.lr(), h.get("momentum")))),
            new Entry("rmsprop",
                    "lr=1e-3,decay=0.9,eps=1e-7,eps_in_sqrt=1,centered=0,momentum=0,nesterov=0,weight_decay=0",
                    "RMS-Prop: r ← decay·r + (1−decay)·g²; u = −lr·g/√(r + eps) (eps_in_sqrt=0: /(√r + eps);"
                            + " centered=1: r − m², m EMA of g)",
                    h -> h.l2(Optimizers.rmsprop(h.lr(), h.get("decay"), h.get("eps"), h.flag("eps_in_sqrt"),
                            h.flag("centered"), h.get("momentum"), h.flag("nesterov")))),
            new Entry("adam", "lr=1e-3,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0",
                    "Adam: m, v EMAs of g, g²; u = −lr·m̂/(√v̂ + eps), bias-corrected",
                    h -> h.l2(Optimizers.adam(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), 0))),
            // optax's own weight_decay argument is "wd" below (inside the chain, as optax places it);
            // "weight_decay" stays the L2 term added before every optimizer.
            new Entry("lamb", "lr=1e-3,b1=0.9,b2=0.999,eps=1e-6,wd=0,weight_decay=0",
                    "LAMB: r = m̂/(√v̂ + eps) + wd·p; u = −lr·(‖p‖/‖r‖)·r per tensor",
                    h -> h.l2(Optimizers.lamb(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), 0, h.get("wd"), null))),
            new Entry("lars", "lr=1,wd=0,trust_coefficient=0.001,eps=0,momentum=0.9,nesterov=0,weight_decay=0",
                    "LARS: a = g + wd·p; τ ← −lr·tc·‖p‖/(‖a‖ + eps)·a + momentum·τ; u = τ",
                    h -> h.l2(Optimizers.lars(h.lr(), h.get("wd"), null, h.get("trust_coefficient"), h.get("eps"), null,
                            h.get("momentum"), h.flag("nesterov")))),
            new Entry("fromage", "lr=0.01,min_norm=1e-6,weight_decay=0",
                    "Fromage: p ← (p − lr·‖p‖/‖g‖·g)/√(1 + lr²) per tensor",
                    h -> h.l2(Optimizers.fromage(h.lr(), h.get("min_norm")))),
            new Entry("adan", "lr=1e-3,b1=0.98,b2=0.92,b3=0.99,eps=1e-8,eps_root=1e-8,wd=0,weight_decay=0",
                    "Adan: u = −lr·((m̂ + (1−b2)·v̂)/(√(n̂ + eps_root) + eps) + wd·p), v on gradient differences",
                    h -> h.l2(Optimizers.adan(h.lr(), h.get("b1"), h.get("b2"), h.get("b3"), h.get("eps"),
                            h.get("eps_root"), h.get("wd")))),
            new Entry("novograd", "lr=1e-3,b1=0.9,b2=0.25,eps=1e-6,wd=0,weight_decay=0",
                    "NovoGrad: ν ← EMA of ‖g‖² per tensor; m ← b1·m + g/(√ν + eps) + wd·p; u = −lr·m",
                    h -> h.l2(Optimizers.novograd(h.lr(), h.get("b1"), h.get("b2"), h.get("eps"), 0, h.get("wd")))),
            new Entry("optimistic_gradient_descent", "lr=0.01,alpha=1,beta=1,weight_decay=0",
                    "optimistic GD: u = −lr·((alpha + beta)·g − beta·g_prev)",
                    h -> h.l2(Optimizers.optimisticGradientDescent(h.lr(), h.get("alpha"), h.get("beta")))),
            new Entry("optimistic_adam", "lr=2e-3,alpha=1,beta=1,b1=0.9,b2=0.999,eps=1e-8,nesterov=1,weight_decay=0",
                    "optimistic Adam (v2): u = −lr·((alpha + beta)·r_t − beta·r_{t−1}), r the (Nesterov) Adam direction",
                    h -> h.l2(Optimizers.optimisticAdamV2(h.lr(), h.get("alpha"), h.get("beta"), h.get("b1"),
                            h.get("b2"), h.get("eps"), 0, h.flag("nesterov")))),
            new Entry("polyak_sgd", "lr=1,max_lr=1,f_min=0,eps=0,sps_plus=0,weight_decay=0",
                    "Polyak SGD: w = −lr·g; u = min((loss − f_min)/(‖w‖² + eps), max_lr)·w (lr is optax's scaling)",
                    h -> h.l2(Optimizers.polyakSgd(h.get("max_lr"), h.lr(), h.get("f_min"), h.get("eps"),
                            h.flag("sps_plus")))),
            new Entry("sm3", "lr=0.1,momentum=0.9,weight_decay=0",
                    "SM3-II: a = g² + min over axes of the accumulators; ν ← EMA of g/√a; u = −lr·ν",
                    h -> h.l2(Transforms.chain(Transforms.scaleBySm3(h.get("momentum")),
                            Transforms.scaleByLearningRate(h.lr())))),
            new Entry("adafactor", "lr=0,min_dim_size_to_factor=128,decay_rate=0.8,decay_offset=0,"
                    + "multiply_by_parameter_scale=1,clipping_threshold=1,momentum=0,weight_decay_rate=0,eps=1e-30,"
                    + "factored=1,weight_decay=0",
                    "Adafactor: u = −lr·clip(g/√V̂)·max(rms(p), 1e-3), V̂ factored (lr=0: none, optax's default)",
                    h -> h.l2(Optimizers.adafactor(h.get("lr") == 0 ? null : h.lr(),
                            (int) h.get("min_dim_size_to_factor"), h.get("decay_rate"), h.get("decay_offset"),
                            h.flag("multiply_by_parameter_scale"), h.get("clipping_threshold"), h.get("momentum"),
                            h.get("weight_decay_rate"), h.get("eps"), h.flag("factored"), null))),
            new Entry("lbfgs", "lr=0.01,memory_size=10,scale_init_precond=1,linesearch=1,weight_decay=0",
                    "L-BFGS: direction d = −H⁻¹g (two-loop, memory_size pairs); u = η·d with η from optax's zoom"
                            + " line search on the objective (on the batch when training); linesearch=0: η = lr",
                    h -> h.l2(Optimizers.lbfgs(h.flag("linesearch") ? null : h.lr(), (int) h.get("memory_size"),
                            h.flag("scale_init_precond"),
                            h.flag("linesearch") ? Transforms.scaleByZoomLinesearch(20, false) : null))));

    private static Map<String, Entry> table(Entry... entries) {
        Map<String, Entry> m = new TreeMap<>();
        for (Entry e : entries) {
            parse(e.defaults());
            m.put(e.name(), e);
        }
        return m;
    }

    /** The optimizer names, sorted. */
    public static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }

    /** The hyperparameters of {@code name} with their defaults, in table order. */
    public static Map<String, Double> defaults(String name) {
        return parse(entry(name).defaults());
    }

    /**
     * The optimizer {@code name} with its defaults overridden by {@code overrides}.
     *
     * @throws DescentException for an unknown name or hyperparameter, or a bad flag value
     */
    public static GradientTransformation create(String name, Map<String, Double> overrides) {
        return create(name, overrides, Schedule.constant(1));
    }

    /**
     * The optimizer {@code name} with its defaults overridden by {@code overrides}, its learning
     * rate multiplied at step {@code c} by {@code lrShape(c)} (e.g. a cosine decay from 1 to 0).
     */
    public static GradientTransformation create(String name, Map<String, Double> overrides, Schedule lrShape) {
        Entry e = entry(name);
        Map<String, Double> values = parse(e.defaults());
        overrides.forEach((key, value) -> {
            if (!values.containsKey(key)) {
                throw new DescentException("optimizer '" + name + "' has no hyperparameter '" + key
                        + "'; choose from: " + String.join(", ", values.keySet()));
            }
            values.put(key, value);
        });
        return e.factory().apply(new Hyperparameters(name, Map.copyOf(values), lrShape));
    }

    /** {@link #create(String, Map)} with overrides written as {@code "lr=1e-3,b1=0.95"}. */
    public static GradientTransformation create(String name, String overrides) {
        return create(name, parse(overrides));
    }

    /** A help listing: each optimizer with its hyperparameters, their defaults, and its update rule. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : TABLE.values()) {
            sb.append(String.format("%-9s %s%n%9s %s%n", e.name(), e.defaults().replace(",", " "), "", e.summary()));
        }
        return sb.toString();
    }

    /**
     * Parses {@code "lr=1e-3,weight_decay=0.01"} into an ordered map; blanks around names and
     * values are ignored and an empty string gives an empty map.
     *
     * @throws DescentException for a pair that is not {@code name=number}, a non-finite number
     *                          or a repeated name
     */
    public static Map<String, Double> parse(String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).trim();
            String text = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (key.isEmpty() || text.isEmpty()) {
                throw new DescentException("malformed hyperparameter '" + pair.trim() + "' in '" + spec
                        + "'; write name=value pairs separated by commas, e.g. lr=1e-3,weight_decay=0.01");
            }
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException ex) {
                value = Double.NaN;
            }
            if (!Double.isFinite(value)) {
                throw new DescentException("hyperparameter " + key + "='" + text + "' is not a finite number;"
                        + " write e.g. " + key + "=1e-3");
            }
            if (out.put(key, value) != null) {
                throw new DescentException("hyperparameter " + key + " is given twice in '" + spec + "'; keep one");
            }
        }
        return out;
    }

    private static Entry entry(String name) {
        Entry e = TABLE.get(name);
        if (e == null) {
            throw new DescentException("unknown optimizer '" + name + "'; choose one of: " + String.join(", ", TABLE.keySet()));
        }
        return e;
    }
}
