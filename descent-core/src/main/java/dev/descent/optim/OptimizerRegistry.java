package dev.descent.optim;

import dev.descent.DescentException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.descent.optim.Transforms.addDecayedWeights;
import static dev.descent.optim.Transforms.chain;

/**
 * The optimizer table: one row per optimizer Descent offers by name, and the single source of its
 * name, hyperparameters (optax's names; {@code lr} for the learning rate), their defaults, its
 * one-line rule, its training learning rate and its factory (a {@link Transforms#chain chain} of
 * transforms). The command line ({@code --optimizer}, {@code --opt}, {@code descent optimizers}),
 * checkpoints (which record the name and the hyperparameters given) and the typed Java API
 * ({@link Optimizers}) are all built from these rows. Adding an optimizer is one row here (plus its
 * {@code ScaleByX} transform when it needs a new one) and one row in the table's test.
 *
 * <p>Spellings: every hyperparameter is also accepted under the names users copy from optax and
 * PyTorch ({@code learning_rate} for {@code lr}; PyTorch's {@code alpha} for rmsprop's {@code decay};
 * {@code betas=(b1, b2)} in {@link #parse}) and under earlier Descent names ({@code wd},
 * {@code max_lr}, {@code seed}), so checkpoints that saved them still resume. Flags take
 * {@code true}/{@code false} ({@code True}/{@code False}) or 1/0.
 *
 * <p>Weight decay: {@code weight_decay} has optax's meaning where optax's optimizer has that
 * argument (decoupled, {@code u = −lr·(d + weight_decay·p)}, except adadelta's, which optax adds to
 * the gradient before the scaling, as PyTorch does). Every other optimizer takes it as PyTorch does
 * for SGD and Adam: L2 added to the gradient before the optimizer, {@code g + weight_decay·p}.
 *
 * <p>Learning rates: a row's {@code lr} default is the rate optax's tests use for it (§8.1 of the
 * optimizer specification; Keras' where the row predates them), which {@link #create(String, Map)}
 * and {@code descent optimize} use when none is given; its {@link Row#trainingLearningRate()} is
 * the rate for training networks, PyTorch's or Keras' default for that optimizer (the row's comment
 * says which, or why another was chosen where neither has one).
 */
public final class OptimizerRegistry {
    private OptimizerRegistry() {
    }

    /**
     * One hyperparameter of a row.
     *
     * @param name           its name: optax's, or {@code lr} for the learning rate
     * @param otherSpellings the other names accepted for it (optax's {@code learning_rate}, PyTorch's, earlier Descent's)
     * @param defaultValue   its default (a flag's is 0 or 1)
     * @param flag           whether it is a flag (true/false, 1/0)
     */
    public record Hyperparameter(String name, List<String> otherSpellings, double defaultValue, boolean flag) {
        public Hyperparameter {
            otherSpellings = List.copyOf(otherSpellings);
        }
    }

    /**
     * One optimizer of the table.
     *
     * @param name                 the name {@code --optimizer} takes
     * @param rule                 its update rule, in one line
     * @param trainingLearningRate the learning rate for training networks (PyTorch's or Keras' default)
     * @param hyperparameters      its hyperparameters with their defaults, in the order optax lists them
     */
    public record Row(String name, String rule, double trainingLearningRate, List<Hyperparameter> hyperparameters) {
        public Row {
            hyperparameters = List.copyOf(hyperparameters);
        }

        /** The hyperparameters' names with their defaults, in row order. */
        public Map<String, Double> defaults() {
            Map<String, Double> out = new LinkedHashMap<>();
            hyperparameters.forEach(h -> out.put(h.name(), h.defaultValue()));
            return out;
        }

        /**
         * {@code given} under the row's names: each other spelling replaced by its hyperparameter's
         * name, in the order given.
         *
         * @throws DescentException for a name the row does not have, a hyperparameter given twice
         *                          (under two spellings), or a flag that is not 0 or 1
         */
        public Map<String, Double> canonical(Map<String, Double> given) {
            Map<String, Double> out = new LinkedHashMap<>();
            Map<String, String> spelledAs = new HashMap<>();
            given.forEach((spelling, value) -> {
                Hyperparameter h = hyperparameters.stream()
                        .filter(c -> c.name().equals(spelling) || c.otherSpellings().contains(spelling))
                        .findFirst()
                        .orElseThrow(() -> new DescentException("optimizer '" + name + "' has no hyperparameter '"
                                + spelling + "'; choose from: " + String.join(", ", defaults().keySet())
                                + " (descent optimizers lists the other spellings)"));
                String earlier = spelledAs.put(h.name(), spelling);
                if (earlier != null) {
                    throw new DescentException(name + ": " + h.name() + " is given twice, as " + earlier + " and "
                            + spelling + "; keep one");
                }
                if (h.flag() && value != 0 && value != 1) {
                    throw new DescentException(name + ": " + spelling + " is a flag, got " + format(value)
                            + "; use true or false (or 1 or 0)");
                }
                out.put(h.name(), value);
            });
            return out;
        }
    }

    /** A row and the factory that builds its optimizer. */
    private record Entry(Row row, Function<Hyperparameters, GradientTransformation> factory) {
    }

    /**
     * Rows in alphabetical order. The hyperparameter list is {@code name[/other spelling…]=default}
     * separated by spaces, flags written true/false, in optax's argument order; the learning rate is
     * always {@code lr} (also spelled {@code learning_rate}). A row without its own
     * {@code weight_decay} gets PyTorch's L2 one (see {@link #row}).
     */
    private static final Map<String, Entry> TABLE = table(
            // training lr: adabelief-pytorch's default (neither PyTorch nor Keras has AdaBelief)
            row("adabelief", 1e-3, "lr=1e-2 b1=0.9 b2=0.999 eps=1e-16 eps_root=1e-16 weight_decay=0 nesterov=false",
                    "AdaBelief: s EMA of (g − m)² + eps_root; u = −lr·(m̂/(√ŝ + eps) + weight_decay·p)",
                    h -> chain(Transforms.scaleByBelief(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.flag("nesterov")), addDecayedWeights(h.get("weight_decay")), h.learningRate())),
            // lr 1: PyTorch's (optax's None would ascend), also for training
            row("adadelta", 1, "lr=1 rho=0.9 eps=1e-6 weight_decay=0",
                    "Adadelta: g += weight_decay·p; δ = √(Ex + eps)/√(Eg + eps)·g; u = −lr·δ",
                    h -> chain(addDecayedWeights(h.get("weight_decay")), Transforms.scaleByAdadelta(h.get("rho"),
                            h.get("eps")), h.learningRate())),
            // training lr: PyTorch 2.5's Adafactor default (optax's default, lr=0 here, makes steps relative to
            // the parameters' scale)
            row("adafactor", 1e-2, "lr=0 min_dim_size_to_factor=128 decay_rate=0.8 decay_offset=0"
                            + " multiply_by_parameter_scale=true clipping_threshold=1 momentum=0 weight_decay_rate=0"
                            + " eps=1e-30 factored=true",
                    "Adafactor: u = −lr·clip(g/√V̂)·max(rms(p), 1e-3), V̂ factored for large matrices"
                            + " (lr=0: none, optax's default)",
                    OptimizerRegistry::adafactor),
            // training lr: PyTorch's default (Keras: 1e-3)
            row("adagrad", 1e-2, "lr=1 initial_accumulator_value=0.1 eps=1e-7",
                    "Adagrad: S ← S + g²; u = −lr·g/√(S + eps)",
                    h -> chain(Transforms.scaleByRss(h.get("initial_accumulator_value"), h.get("eps")),
                            h.learningRate())),
            // training lr: PyTorch's and Keras' default
            row("adam", 1e-3, "lr=1e-3 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 nesterov=false",
                    "Adam: m, v EMAs of g, g²; u = −lr·m̂/(√(v̂ + eps_root) + eps), bias-corrected"
                            + " (nesterov: NAdam's m̂)",
                    h -> chain(adamDirection(h, h.flag("nesterov")), h.learningRate())),
            // training lr: PyTorch's default (Keras: 1e-3)
            row("adamax", 2e-3, "lr=0.1 b1=0.9 b2=0.999 eps=1e-8",
                    "Adamax: v ← max(|g| + eps, b2·v); u = −lr·m̂/v",
                    h -> chain(Transforms.scaleByAdamax(h.get("b1"), h.get("b2"), h.get("eps")), h.learningRate())),
            // training lr: Adamax's (PyTorch)
            row("adamaxw", 2e-3, "lr=0.1 b1=0.9 b2=0.999 eps=1e-8 weight_decay=1e-4",
                    "AdamaxW: u = −lr·(m̂/v + weight_decay·p), Adamax with decoupled weight decay",
                    h -> chain(Transforms.scaleByAdamax(h.get("b1"), h.get("b2"), h.get("eps")),
                            addDecayedWeights(h.get("weight_decay")), h.learningRate())),
            // training lr: PyTorch's and Keras' default
            row("adamw", 1e-3, "lr=0.1 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 weight_decay=1e-4 nesterov=false",
                    "AdamW: u = −lr·(m̂/(√(v̂ + eps_root) + eps) + weight_decay·p), decoupled weight decay",
                    h -> adamw(h, h.flag("nesterov"))),
            // training lr: the Adan authors' default (neither PyTorch nor Keras has Adan)
            row("adan", 1e-3, "lr=1e-3 b1=0.98 b2=0.92 b3=0.99 eps=1e-8 eps_root=1e-8 weight_decay/wd=0",
                    "Adan: u = −lr·((m̂ + (1−b2)·v̂)/(√(n̂ + eps_root) + eps) + weight_decay·p),"
                            + " v on gradient differences",
                    h -> chain(Transforms.scaleByAdan(h.get("b1"), h.get("b2"), h.get("b3"), h.get("eps"),
                            h.get("eps_root")), addDecayedWeights(h.get("weight_decay")), h.learningRate())),
            // training lr: Adam's (PyTorch's Adam(amsgrad=True), Keras)
            row("amsgrad", 1e-3, "lr=0.1 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 bias_correction_mu=true"
                            + " bias_correction_nu=true",
                    "AMSGrad: vmax ← max(vmax, v̂); u = −lr·m̂/(√(vmax + eps_root) + eps)",
                    h -> chain(Transforms.scaleByAmsgrad(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.flag("bias_correction_mu"), h.flag("bias_correction_nu")), h.learningRate())),
            // training lr: the Fromage authors' default
            row("fromage", 1e-2, "lr=0.01 min_norm=1e-6",
                    "Fromage: p ← (p − lr·‖p‖/‖g‖·g)/√(1 + lr²) per tensor",
                    OptimizerRegistry::fromage),
            // training lr: Keras' default
            row("lamb", 1e-3, "lr=1e-3 b1=0.9 b2=0.999 eps=1e-6 eps_root=0 weight_decay/wd=0",
                    "LAMB: r = m̂/(√(v̂ + eps_root) + eps) + weight_decay·p; u = −lr·(‖p‖/‖r‖)·r per tensor",
                    h -> chain(Transforms.scaleByAdam(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root")),
                            maskedOrAll(addDecayedWeights(h.get("weight_decay")), h.mask("mask")),
                            Transforms.scaleByTrustRatio(0, 1, 0), h.learningRate())),
            // training lr: neither PyTorch nor Keras has LARS; optax's test rate 1, as the trust ratio
            // (trust_coefficient·‖p‖/‖g‖) sets the scale of the step
            row("lars", 1, "lr=1 weight_decay/wd=0 trust_coefficient=0.001 eps=0 momentum=0.9 nesterov=false",
                    "LARS: a = g + weight_decay·p; τ ← −lr·tc·‖p‖/(‖a‖ + eps)·a + momentum·τ; u = τ",
                    h -> chain(maskedOrAll(addDecayedWeights(h.get("weight_decay")), h.mask("weight_decay_mask")),
                            maskedOrAll(Transforms.scaleByTrustRatio(0, h.get("trust_coefficient"), h.get("eps")),
                                    h.mask("trust_ratio_mask")),
                            h.learningRate(), Transforms.trace(h.get("momentum"), h.flag("nesterov")))),
            // training lr: PyTorch's LBFGS default; unused with the line search (linesearch=true)
            row("lbfgs", 1, "lr=0.01 memory_size=10 scale_init_precond=true linesearch=true",
                    "L-BFGS: d = −H⁻¹g (two-loop, memory_size pairs); u = η·d with η from optax's zoom line search"
                            + " on the objective (on the batch when training); linesearch=false: η = lr",
                    OptimizerRegistry::lbfgs),
            // training lr: Keras' default
            row("lion", 1e-3, "lr=1e-2 b1=0.9 b2=0.99 weight_decay=1e-3",
                    "Lion: u = −lr·(sign((1 − b1)·g + b1·m) + weight_decay·p); m ← (1 − b2)·g + b2·m",
                    h -> chain(Transforms.scaleByLion(h.get("b1"), h.get("b2")),
                            addDecayedWeights(h.get("weight_decay")), h.learningRate())),
            // the lecture's velocity form; training lr: Keras' SGD default
            row("momentum", 1e-2, "lr=0.01 momentum=0.9",
                    "lecture momentum: v ← momentum·v − lr·g; w ← w + v",
                    h -> chain(h.learningRate(), Transforms.trace(h.get("momentum"), false))),
            // training lr: Keras' default (PyTorch's NAdam, a different rule, uses 2e-3)
            row("nadam", 1e-3, "lr=1e-2 b1=0.9 b2=0.999 eps=1e-8 eps_root=0",
                    "NAdam (optax): Adam with m̂ = b1·m/(1 − b1^(t+1)) + (1 − b1)·g/(1 − b1^t)",
                    h -> chain(adamDirection(h, true), h.learningRate())),
            // training lr: NAdam's (Keras)
            row("nadamw", 1e-3, "lr=1e-2 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 weight_decay=1e-4",
                    "NAdamW: NAdam with decoupled weight decay, u = −lr·(d + weight_decay·p)",
                    h -> adamw(h, true)),
            // training lr: SGD's (Keras)
            row("noisy_sgd", 1e-2, "lr=1e-3 eta=0.01 gamma=0.55 key/seed=0",
                    "noisy SGD: u = −lr·(g + √(eta/t^gamma)·ξ), ξ ~ N(0, 1) from the seed (key)",
                    h -> chain(Transforms.addNoise(h.get("eta"), h.get("gamma"), h.integer("key")), h.learningRate())),
            // training lr: neither PyTorch nor Keras has NovoGrad; it normalises each tensor's gradient, so
            // Adam's 1e-3 moves a network slowly (65% against 84% on TrainingDefaultsTest's MNIST slice): 1e-2
            row("novograd", 1e-2, "lr=1e-3 b1=0.9 b2=0.25 eps=1e-6 eps_root=0 weight_decay/wd=0",
                    "NovoGrad: ν ← EMA of ‖g‖² per tensor; m ← b1·m + g/(√ν + eps) + weight_decay·p; u = −lr·m",
                    h -> chain(Transforms.scaleByNovograd(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("weight_decay")), h.learningRate())),
            // optax's optimistic_adam_v2; training lr: Adam's (PyTorch, Keras)
            row("optimistic_adam", 1e-3, "lr=2e-3 alpha=1 beta=1 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 nesterov=true",
                    "optimistic Adam (v2): u = −lr·((alpha + beta)·r_t − beta·r_{t−1}), r the (Nesterov) Adam direction",
                    h -> chain(adamDirection(h, h.flag("nesterov")),
                            Transforms.scaleByOptimisticGradient(h.get("alpha"), h.get("beta")), h.learningRate())),
            // training lr: SGD's (Keras)
            row("optimistic_gradient_descent", 1e-2, "lr=0.01 alpha=1 beta=1",
                    "optimistic GD: u = −lr·((alpha + beta)·g − beta·g_prev)",
                    h -> chain(Transforms.scaleByOptimisticGradient(h.get("alpha"), h.get("beta")), h.learningRate())),
            // lr is optax's scaling; training lr: 1, optax's default (the Polyak step sets the step size)
            row("polyak_sgd", 1, "lr/scaling=1 max_learning_rate/max_lr=1 f_min=0 eps=0 sps_plus=false",
                    "Polyak SGD: w = −lr·g; u = min((loss − f_min)/(‖w‖² + eps), max_learning_rate)·w",
                    h -> chain(Transforms.scaleByLearningRate(h.lr()), Transforms.scaleByPolyak(h.get("f_min"),
                            h.get("max_learning_rate"), h.get("eps"), h.flag("sps_plus")))),
            // training lr: PyTorch's default
            row("radam", 1e-3, "lr=5e-3 b1=0.9 b2=0.999 eps=1e-8 eps_root=0 threshold=5 nesterov=false",
                    "RAdam: u = −lr·r_t·m̂/(√(v̂ + eps_root) + eps) once ρ_t ≥ threshold, else −lr·m̂",
                    h -> chain(Transforms.scaleByRadam(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"),
                            h.get("threshold"), h.flag("nesterov")), h.learningRate())),
            // the lecture's defaults (decay 0.9, eps 1e-7 inside the root); training lr: Keras' (PyTorch: 1e-2)
            row("rmsprop", 1e-3, "lr=1e-3 decay/alpha=0.9 eps=1e-7 initial_scale=0 eps_in_sqrt=true centered=false"
                            + " momentum=0 nesterov=false bias_correction=false",
                    "RMSProp: ν ← decay·ν + (1−decay)·g²; u = −lr·g/√(ν + eps) (eps_in_sqrt=false: /(√ν + eps);"
                            + " centered: ν − μ², μ EMA of g); momentum: τ ← u + momentum·τ",
                    OptimizerRegistry::rmsprop),
            // training lr: Keras' SGD default (PyTorch 1.13 has none)
            row("sgd", 1e-2, "lr=0.01 momentum=0 nesterov=false",
                    "SGD, optax/PyTorch momentum: τ ← g + momentum·τ; u = −lr·τ (nesterov: −lr·(g + momentum·τ))",
                    h -> chain(h.get("momentum") == 0 ? Transforms.identity()
                            : Transforms.trace(h.get("momentum"), h.flag("nesterov")), h.learningRate())),
            // training lr: neither PyTorch nor Keras has it; every element moves by lr per step, so
            // Lion's rate (Keras), the other sign-based optimizer
            row("sign_sgd", 1e-3, "lr=0.1",
                    "signSGD: u = −lr·sign(g)",
                    h -> chain(Transforms.scaleBySign(), h.learningRate())),
            // training lr: Adagrad's (PyTorch), the family SM3 approximates; neither has SM3
            row("sm3", 1e-2, "lr=0.1 momentum=0.9",
                    "SM3-II: a = g² + min over axes of the accumulators; ν ← EMA of g/√a; u = −lr·ν",
                    h -> chain(Transforms.scaleBySm3(h.get("momentum")), h.learningRate())),
            // training lr: TensorFlow Addons' Yogi default (neither PyTorch nor Keras has Yogi)
            row("yogi", 1e-2, "lr=0.1 b1=0.9 b2=0.999 eps=1e-3",
                    "Yogi: v ← v − (1 − b2)·sign(v − g²)·g²; u = −lr·m̂/(√v̂ + eps)",
                    h -> chain(Transforms.scaleByYogi(h.get("b1"), h.get("b2"), h.get("eps"), 0, 1e-6),
                            h.learningRate())));

    /** The spellings of every flag of the table: only these take true and false in {@link #parse}. */
    private static final Set<String> FLAG_SPELLINGS = flagSpellings();

    /**
     * A row from its text form (see {@link #TABLE}). A row that does not declare {@code weight_decay}
     * gets it as PyTorch's L2 term: {@code weight_decay=0}, and its optimizer preceded by
     * {@code addDecayedWeights(weight_decay)} when that is not 0.
     */
    private static Entry row(String name, double trainingLearningRate, String hyperparameters, String rule,
                             Function<Hyperparameters, GradientTransformation> factory) {
        List<Hyperparameter> list = new ArrayList<>();
        for (String item : hyperparameters.split(" ")) {
            int eq = item.indexOf('=');
            List<String> spellings = new ArrayList<>(List.of(item.substring(0, eq).split("/")));
            String text = item.substring(eq + 1);
            boolean flag = text.equals("true") || text.equals("false");
            String canonical = spellings.removeFirst();
            if (canonical.equals("lr")) {
                spellings.addFirst("learning_rate");
            }
            list.add(new Hyperparameter(canonical, spellings, flag ? (text.equals("true") ? 1 : 0)
                    : Double.parseDouble(text), flag));
        }
        if (list.stream().anyMatch(h -> h.name().equals("weight_decay"))) {
            return new Entry(new Row(name, rule, trainingLearningRate, list), factory);
        }
        list.add(new Hyperparameter("weight_decay", List.of(), 0, false));
        return new Entry(new Row(name, rule + " (weight_decay: L2)", trainingLearningRate, list),
                h -> h.l2(factory.apply(h)));
    }

    private static Map<String, Entry> table(Entry... entries) {
        Map<String, Entry> m = new TreeMap<>();
        for (Entry e : entries) {
            m.put(e.row().name(), e);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> flagSpellings() {
        Set<String> out = new TreeSet<>();
        for (Entry e : TABLE.values()) {
            for (Hyperparameter h : e.row().hyperparameters()) {
                if (h.flag()) {
                    out.add(h.name());
                    out.addAll(h.otherSpellings());
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- chains shared by rows

    /** Adam's direction, NAdam's look-ahead first moment when {@code nesterov}. */
    private static GradientTransformation adamDirection(Hyperparameters h, boolean nesterov) {
        return Transforms.scaleByAdam(h.get("b1"), h.get("b2"), h.get("eps"), h.get("eps_root"), nesterov);
    }

    /** AdamW (NAdamW when {@code nesterov}): Adam's direction, decoupled weight decay, the learning rate. */
    private static GradientTransformation adamw(Hyperparameters h, boolean nesterov) {
        return chain(adamDirection(h, nesterov), addDecayedWeights(h.get("weight_decay")), h.learningRate());
    }

    private static GradientTransformation maskedOrAll(GradientTransformation tx, Predicate<String> mask) {
        return mask == null ? tx : Transforms.masked(tx, mask);
    }

    /**
     * RMSProp: {@code scaleByRms} (or {@code scaleByStddev} when centered) → the learning rate →
     * {@code trace(momentum, nesterov)} when momentum is not 0 (momentum acts after the rate, as in optax).
     */
    private static GradientTransformation rmsprop(Hyperparameters h) {
        double decay = h.get("decay"), eps = h.get("eps"), initialScale = h.get("initial_scale");
        boolean epsInSqrt = h.flag("eps_in_sqrt"), biasCorrection = h.flag("bias_correction");
        GradientTransformation rms = h.flag("centered")
                ? new ScaleByStddev(decay, eps, epsInSqrt, biasCorrection, initialScale)
                : new ScaleByRms(decay, eps, epsInSqrt, biasCorrection, initialScale);
        double momentum = h.get("momentum");
        return momentum == 0 ? chain(rms, h.learningRate())
                : chain(rms, h.learningRate(), Transforms.trace(momentum, h.flag("nesterov")));
    }

    /**
     * Fromage with {@code k = 1/√(1 + lr²)}: {@code scaleByTrustRatio(min_norm, 1, 0) →
     * scaleByLearningRate(lr·k) → addDecayedWeights(k − 1)}; lr and k are evaluated at each element's
     * counter, which stay in lockstep.
     */
    private static GradientTransformation fromage(Hyperparameters h) {
        Schedule lr = h.lr();
        Schedule k = c -> 1 / Math.sqrt(1 + lr.at(c) * lr.at(c));
        return chain(Transforms.scaleByTrustRatio(h.get("min_norm"), 1, 0),
                Transforms.scaleByLearningRate(c -> lr.at(c) * k.at(c)), addDecayedWeights(c -> k.at(c) - 1));
    }

    /**
     * Adafactor: {@code scaleByFactoredRms → clipByBlockRms → scaleBySchedule(lr) →
     * scaleByParamBlockRms(1e-3) → ema(momentum, false) → addDecayedWeights(weight_decay_rate, mask) →
     * scale(−1)}; lr = 0 leaves out the rate, and NaN (from the Java API) leaves out clipping, momentum
     * and weight decay.
     */
    private static GradientTransformation adafactor(Hyperparameters h) {
        List<GradientTransformation> elements = new ArrayList<>();
        elements.add(Transforms.scaleByFactoredRms(h.flag("factored"), h.get("decay_rate"), h.get("decay_offset"),
                (int) h.integer("min_dim_size_to_factor"), h.get("eps")));
        if (!Double.isNaN(h.get("clipping_threshold"))) {
            elements.add(Transforms.clipByBlockRms(h.get("clipping_threshold")));
        }
        if (h.get("lr") != 0) {
            elements.add(Transforms.scaleBySchedule(h.lr()));
        }
        if (h.flag("multiply_by_parameter_scale")) {
            elements.add(Transforms.scaleByParamBlockRms(1e-3));
        }
        if (!Double.isNaN(h.get("momentum"))) {
            elements.add(Transforms.ema(h.get("momentum"), false));
        }
        if (!Double.isNaN(h.get("weight_decay_rate"))) {
            elements.add(maskedOrAll(addDecayedWeights(h.get("weight_decay_rate")), h.mask("weight_decay_mask")));
        }
        elements.add(Transforms.scale(-1));
        return chain(elements.toArray(GradientTransformation[]::new));
    }

    /**
     * L-BFGS: {@code scaleByLbfgs(memory_size, scale_init_precond)}, then with {@code linesearch}
     * {@code scale(−1) →} the line search (the Java API's, else optax's zoom search: 20 steps, first
     * guess 1), else the learning rate.
     */
    private static GradientTransformation lbfgs(Hyperparameters h) {
        GradientTransformation direction = Transforms.scaleByLbfgs((int) h.integer("memory_size"),
                h.flag("scale_init_precond"));
        if (!h.flag("linesearch")) {
            return chain(direction, h.learningRate());
        }
        GradientTransformation search = h.object("linesearch", GradientTransformation.class);
        return chain(direction, Transforms.scale(-1),
                search != null ? search : Transforms.scaleByZoomLinesearch(20, false));
    }

    // ---------------------------------------------------------------- the table's entry points

    /** The optimizer names, sorted. */
    public static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }

    /** The rows, sorted by name. */
    public static List<Row> rows() {
        return TABLE.values().stream().map(Entry::row).toList();
    }

    /**
     * The row of optimizer {@code name}.
     *
     * @throws DescentException for an unknown name
     */
    public static Row row(String name) {
        return entry(name).row();
    }

    /** The hyperparameters of {@code name} with their defaults, in table order. */
    public static Map<String, Double> defaults(String name) {
        return row(name).defaults();
    }

    /** The learning rate for training networks with {@code name}: PyTorch's or Keras' default for it. */
    public static double trainingLearningRate(String name) {
        return row(name).trainingLearningRate();
    }

    /**
     * The settings to train with: {@code given} under the row's names ({@link Row#canonical}), with
     * {@code lr} set to {@link #trainingLearningRate} when not given under any spelling.
     */
    public static Map<String, Double> trainingSettings(String name, Map<String, Double> given) {
        Row row = row(name);
        Map<String, Double> out = row.canonical(given);
        out.putIfAbsent("lr", row.trainingLearningRate());
        return out;
    }

    /**
     * Every hyperparameter of {@code name} with its effective value: the defaults overridden by
     * {@code given} (under any accepted spelling), under the row's names; what a checkpoint records.
     *
     * @throws DescentException as {@link Row#canonical}
     */
    public static Map<String, Double> effectiveSettings(String name, Map<String, Double> given) {
        Row row = row(name);
        Map<String, Double> values = row.defaults();
        values.putAll(row.canonical(given));
        return values;
    }

    /**
     * {@code values} (as {@link #effectiveSettings} gives them) as a person reads them:
     * {@code {lr=0.001, b1=0.9, ..., nesterov=false}}, flags as true/false, numbers in their
     * shortest form.
     */
    public static String describe(String name, Map<String, Double> values) {
        Row row = row(name);
        StringBuilder sb = new StringBuilder("{");
        values.forEach((key, v) -> {
            boolean flag = row.hyperparameters().stream().anyMatch(h -> h.name().equals(key) && h.flag());
            sb.append(sb.length() > 1 ? ", " : "").append(key).append('=')
                    .append(flag ? Boolean.toString(v == 1) : format(v));
        });
        return sb.append('}').toString();
    }

    /**
     * The optimizer {@code name} with its defaults overridden by {@code overrides} (under any
     * accepted spelling).
     *
     * @throws DescentException for an unknown name or hyperparameter, a hyperparameter given twice,
     *                          or a bad flag value
     */
    public static GradientTransformation create(String name, Map<String, Double> overrides) {
        return create(name, overrides, Schedule.constant(1));
    }

    /**
     * The optimizer {@code name} with its defaults overridden by {@code overrides}, its learning
     * rate multiplied at step {@code c} by {@code lrShape(c)} (e.g. a cosine decay from 1 to 0).
     */
    public static GradientTransformation create(String name, Map<String, Double> overrides, Schedule lrShape) {
        return entry(name).factory().apply(new Hyperparameters(name, effectiveSettings(name, overrides), lrShape, false,
                Map.of()));
    }

    /** {@link #create(String, Map)} with overrides written as {@code "lr=1e-3,b1=0.95"} (see {@link #parse}). */
    public static GradientTransformation create(String name, String overrides) {
        return create(name, parse(overrides));
    }

    /**
     * The Java API's form of row {@code name} ({@link Optimizers}): the row's defaults overridden by
     * {@code settings}, whose values are numbers, booleans (flags), masks ({@code Predicate<String>}
     * over parameter names) or transforms (a line search). The learning rate is {@code lr}: a constant
     * becomes a stateless {@code scale(−lr)}, a schedule a counting {@code scaleBySchedule}, as the
     * Java API always built them (so states saved from it still restore).
     */
    static GradientTransformation build(String name, Schedule lr, Map<String, ?> settings) {
        return build(name, 1, lr, false, settings);
    }

    /** {@link #build(String, Schedule, Map)} with a constant rate, applied by a stateless scale. */
    static GradientTransformation build(String name, double lr, Map<String, ?> settings) {
        return build(name, lr, Schedule.constant(1), true, settings);
    }

    private static GradientTransformation build(String name, double lr, Schedule shape, boolean constantRate,
                                                Map<String, ?> settings) {
        Entry e = entry(name);
        Map<String, Double> values = e.row().defaults();
        values.put("lr", lr);
        Map<String, Object> objects = new HashMap<>();
        settings.forEach((key, value) -> {
            switch (value) {
                case Number n when values.containsKey(key) -> values.put(key, n.doubleValue());
                case Boolean b when values.containsKey(key) -> values.put(key, b ? 1.0 : 0.0);
                case Predicate<?> p -> objects.put(key, p);
                case GradientTransformation t -> objects.put(key, t);
                default -> throw new IllegalArgumentException(name + " has no setting " + key + " = " + value);
            }
        });
        return e.factory().apply(new Hyperparameters(name, values, shape, constantRate, objects));
    }

    /**
     * A help listing: a legend, then each optimizer of {@code names} (all when empty) with its training
     * learning rate, its rule, and its hyperparameters with their other spellings and defaults.
     *
     * @throws DescentException for an unknown name
     */
    public static String describe(List<String> names) {
        StringBuilder sb = new StringBuilder();
        sb.append("Each optimizer: its learning rate under `descent train` (train lr), its rule, and its\n")
                .append("hyperparameters as name=default (name/other=default: both spellings are accepted, the first\n")
                .append("is optax's, the others PyTorch's or earlier Descent names; flags take true/false or 1/0).\n")
                .append("lr=... is the rate `descent optimize` and the Java API use when none is given.\n")
                .append("weight_decay is optax's where optax has it; (weight_decay: L2) marks PyTorch's, g + weight_decay·p\n")
                .append("added to the gradient before the rule.\n");
        for (String name : names.isEmpty() ? names() : names) {
            Row row = row(name);
            sb.append(String.format("%n%s   train lr %s%n    %s%n", row.name(), format(row.trainingLearningRate()),
                    row.rule()));
            StringBuilder line = new StringBuilder("   ");
            for (Hyperparameter h : row.hyperparameters()) {
                String item = " " + String.join("/", withSpellings(h)) + "="
                        + (h.flag() ? Boolean.toString(h.defaultValue() == 1) : format(h.defaultValue()));
                if (line.length() + item.length() > 100) {
                    sb.append(line).append('\n');
                    line = new StringBuilder("   ");
                }
                line.append(item);
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** {@link #describe(List)} of every optimizer. */
    public static String describe() {
        return describe(List.of());
    }

    private static List<String> withSpellings(Hyperparameter h) {
        List<String> all = new ArrayList<>();
        all.add(h.name());
        all.addAll(h.otherSpellings());
        return all;
    }

    /** {@code v} in few characters: 0.001, 1e-4, 1e-08 → 1e-8, 128, 0.25. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        if (Math.abs(v) >= 1e-3) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        return d.movePointRight(-exponent).toPlainString() + "e" + exponent;
    }

    /**
     * Parses {@code "lr=1e-3,weight_decay=0.01"} into an ordered map, as written on the command line
     * or copied from optax and PyTorch: values are numbers, {@code true}/{@code false}
     * ({@code True}/{@code False}) for flags, and PyTorch's {@code betas=(b1, b2)} becomes {@code b1}
     * and {@code b2}. Blanks around names and values are ignored and an empty string gives an empty
     * map. Names are kept as written; {@link #create} accepts every spelling of the table.
     *
     * @throws DescentException for a pair that is not {@code name=value}, a value that is not a
     *                          finite number, true/false for a hyperparameter that is not a flag, or
     *                          a repeated name
     */
    public static Map<String, Double> parse(String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (spec.isBlank()) {
            return out;
        }
        for (String pair : splitOutsideBrackets(spec)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).trim();
            String text = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (key.isEmpty() || text.isEmpty()) {
                throw new DescentException("malformed hyperparameter '" + pair.trim() + "' in '" + spec
                        + "'; write name=value pairs separated by commas, e.g. lr=1e-3,weight_decay=0.01");
            }
            if (key.equals("betas")) {
                List<Double> betas = tuple(key, text);
                put(out, "b1", betas.get(0), spec);
                put(out, "b2", betas.get(1), spec);
            } else {
                put(out, key, value(key, text), spec);
            }
        }
        return out;
    }

    private static void put(Map<String, Double> out, String key, double value, String spec) {
        if (out.put(key, value) != null) {
            throw new DescentException("hyperparameter " + key + " is given twice in '" + spec + "'; keep one");
        }
    }

    /** The pairs of {@code spec}: split at the commas that are not inside brackets. */
    private static List<String> splitOutsideBrackets(String spec) {
        List<String> pairs = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                pairs.add(spec.substring(start, i));
                start = i + 1;
            }
        }
        pairs.add(spec.substring(start));
        return pairs;
    }

    /** PyTorch's {@code betas}: two numbers in brackets, {@code (0.9, 0.999)}. */
    private static List<Double> tuple(String key, String text) {
        boolean bracketed = text.length() >= 2 && "([".indexOf(text.charAt(0)) >= 0
                && ")]".indexOf(text.charAt(text.length() - 1)) >= 0;
        String[] parts = bracketed ? text.substring(1, text.length() - 1).split(",") : new String[0];
        if (parts.length != 2) {
            throw new DescentException("betas='" + text + "' is not a pair; write betas=(0.9,0.999), or b1=0.9,b2=0.999");
        }
        return List.of(value(key, parts[0].trim()), value(key, parts[1].trim()));
    }

    private static double value(String key, String text) {
        switch (text) {
            case "true", "True", "false", "False" -> {
                if (!FLAG_SPELLINGS.contains(key)) {
                    throw new DescentException("hyperparameter " + key + "=" + text + " needs a number; true and false"
                            + " are for flags (" + String.join(", ", FLAG_SPELLINGS) + ")");
                }
                return text.equalsIgnoreCase("true") ? 1 : 0;
            }
            default -> {
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
                return value;
            }
        }
    }

    private static Entry entry(String name) {
        Entry e = TABLE.get(name);
        if (e == null) {
            throw new DescentException("unknown optimizer '" + name + "'; choose one of: " + String.join(", ", TABLE.keySet()));
        }
        return e;
    }

    /**
     * What a row's factory reads: the hyperparameter values (defaults overridden by the user's, under
     * the row's names), the learning rate over the steps, and the Java API's masks and line search.
     */
    static final class Hyperparameters {
        private final String optimizer;
        private final Map<String, Double> values;
        private final Schedule lrShape;
        private final boolean constantRate;
        private final Map<String, Object> objects;

        Hyperparameters(String optimizer, Map<String, Double> values, Schedule lrShape, boolean constantRate,
                        Map<String, Object> objects) {
            this.optimizer = optimizer;
            this.values = Map.copyOf(values);
            this.lrShape = lrShape;
            this.constantRate = constantRate;
            this.objects = Map.copyOf(objects);
        }

        /** The value of {@code name}. */
        double get(String name) {
            Double v = values.get(name);
            if (v == null) {
                throw new IllegalStateException(optimizer + " reads undeclared hyperparameter " + name);
            }
            return v;
        }

        /** A whole number (a seed, a size). */
        long integer(String name) {
            double v = get(name);
            if (v != Math.rint(v) || Math.abs(v) > 1L << 53) {
                throw new DescentException(optimizer + ": " + name + " must be a whole number, got " + v);
            }
            return (long) v;
        }

        /** A flag (checked to be 0 or 1 when the values were given). */
        boolean flag(String name) {
            return get(name) == 1;
        }

        /** The learning rate as a schedule: {@code lr(c) = lr · shape(c)}. */
        Schedule lr() {
            double lr = get("lr");
            return count -> lr * lrShape.at(count);
        }

        /** {@code u = −lr(c)·g}: a stateless scale for the Java API's constant rates, else a counting schedule. */
        GradientTransformation learningRate() {
            return constantRate ? Transforms.scaleByLearningRate(get("lr")) : Transforms.scaleByLearningRate(lr());
        }

        /** The Java API's parameter mask {@code name}, or null: every parameter. */
        @SuppressWarnings("unchecked")
        Predicate<String> mask(String name) {
            return (Predicate<String>) objects.get(name);
        }

        /** The Java API's object {@code name} of the given type, or null. */
        <T> T object(String name, Class<T> type) {
            return type.cast(objects.get(name));
        }

        /** {@code tx} preceded by {@code addDecayedWeights(weight_decay)} when that is not 0 (L2). */
        GradientTransformation l2(GradientTransformation tx) {
            double wd = get("weight_decay");
            return wd == 0 ? tx : chain(addDecayedWeights(wd), tx);
        }
    }
}
