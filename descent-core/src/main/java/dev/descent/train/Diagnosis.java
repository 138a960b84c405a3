package dev.descent.train;

import dev.descent.data.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run's figures say, in the terms of the lecture's pragmatics, with the fix to try.
 * The rules, applied to the per-epoch history and the final evaluation:
 * <ul>
 *   <li><b>baseline</b>: the model beats the naive predictor ({@link Baseline}) when its accuracy
 *       is higher (classification) or its loss lower (regression) on the same examples.</li>
 *   <li><b>diverging</b>: a batch loss became NaN/∞, or exploded, i.e. exceeded
 *       {@value #EXPLOSION_FACTOR}× the first step's loss; the first such step is named.</li>
 *   <li><b>underfitting</b>: the last epoch's training loss is still above
 *       {@value #UNDERFITTING_SHARE} × the naive baseline's loss (the model has not learned even half
 *       of what separates the naive guess from a perfect fit).</li>
 *   <li><b>overfitting</b>: with b the epoch of the lowest validation loss v_b, the last epoch's
 *       validation loss exceeds v_b·(1 + {@value #OVERFITTING_RISE}), at least {@value #OVERFITTING_EPOCHS}
 *       epochs after b, while its training loss is below epoch b's: validation error rising while training error falls; it began at epoch b + 1.</li>
 *   <li><b>dead ReLU</b>: a ReLU layer of which more than {@value #DEAD_RELU_SHARE} of the units are
 *       zero for every example of a fixed probe batch.</li>
 * </ul>
 * Per-layer figures (mean gradient norm ‖∂L/∂θ‖₂ per parameter tensor over the last epoch, dead
 * ReLU share per activation layer) are reported with the findings.
 *
 * @param findings      the findings, most severe first
 * @param gradientNorms mean L2 norm of each parameter's gradient over the last epoch, by parameter name
 * @param deadRelu      share of dead units of each ReLU layer at the end, by layer name
 */
public record Diagnosis(List<Finding> findings, Map<String, Double> gradientNorms, Map<String, Double> deadRelu) {
    /** A batch loss above this multiple of the first step's loss counts as exploding. */
    public static final double EXPLOSION_FACTOR = 10;
    /** Training loss above this share of the naive baseline's loss counts as underfitting. */
    public static final double UNDERFITTING_SHARE = 0.5;
    /** Relative rise of the validation loss above its minimum that counts as overfitting. */
    public static final double OVERFITTING_RISE = 0.02;
    /** Epochs after the validation minimum needed before a rise counts (a trend, not a blip). */
    public static final int OVERFITTING_EPOCHS = 2;
    /** Share of dead units above which a ReLU layer is reported. */
    public static final double DEAD_RELU_SHARE = 0.5;

    /** The kinds of finding. */
    public enum Kind { DIVERGING, BELOW_BASELINE, UNDERFITTING, OVERFITTING, DEAD_RELU, BEATS_BASELINE }

    /**
     * One finding.
     *
     * @param kind    what was found
     * @param epoch   the epoch it concerns (where overfitting began, where the loss diverged), 0 if none
     * @param step    the optimizer step it concerns (diverging), 0 if none
     * @param message one line: the evidence and the fix to try
     */
    public record Finding(Kind kind, int epoch, long step, String message) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind.name().toLowerCase(Locale.ROOT));
            if (epoch > 0) {
                m.put("epoch", epoch);
            }
            if (step > 0) {
                m.put("step", step);
            }
            m.put("message", message);
            return m;
        }
    }

    /**
     * Where the loss stopped behaving: the first step whose batch loss was not finite or exceeded
     * {@link #EXPLOSION_FACTOR} times the first step's.
     *
     * @param epoch     1-based epoch
     * @param step      1-based optimizer step
     * @param loss      the batch loss there
     * @param firstLoss the first step's batch loss
     */
    public record Divergence(int epoch, long step, double loss, double firstLoss) {
    }

    /**
     * Everything a diagnosis is computed from.
     *
     * @param history       the epochs run (may be empty when the run diverged in its first epoch)
     * @param model         the trained model's evaluation (test or validation set), or null
     * @param baseline      the naive baseline's evaluation on the same examples, or null
     * @param task          classification or regression
     * @param divergence    where the loss exploded, or null
     * @param gradientNorms mean gradient norm per parameter over the last epoch
     * @param deadRelu      dead-unit share per ReLU layer
     * @param restoredEpoch the epoch whose weights early stopping kept, 0 if none
     */
    public record Inputs(List<EpochStats> history, Evaluation model, Evaluation baseline, Task task,
                         Divergence divergence, Map<String, Double> gradientNorms, Map<String, Double> deadRelu,
                         int restoredEpoch) {
    }

    /** Applies the rules of the class comment. */
    public static Diagnosis of(Inputs in) {
        List<Finding> findings = new ArrayList<>();
        if (in.divergence() != null) {
            findings.add(diverging(in.divergence()));
        }
        if (in.model() != null && in.baseline() != null) {
            findings.add(baseline(in.model(), in.baseline(), in.task()));
        }
        List<EpochStats> h = in.history();
        if (!h.isEmpty() && in.divergence() == null) {
            EpochStats last = h.get(h.size() - 1);
            if (in.baseline() != null && last.trainLoss() > UNDERFITTING_SHARE * in.baseline().loss()) {
                findings.add(new Finding(Kind.UNDERFITTING, last.epoch(), 0, String.format(Locale.ROOT,
                        "underfitting: the training loss %.4f is still above %.0f%% of the naive baseline's %.4f; "
                                + "try a bigger model (--layers or --model), more epochs (--epochs) or a higher learning rate (--lr)",
                        last.trainLoss(), 100 * UNDERFITTING_SHARE, in.baseline().loss())));
            }
            Finding overfitting = overfitting(h, in.restoredEpoch());
            if (overfitting != null) {
                findings.add(overfitting);
            }
        }
        in.deadRelu().forEach((layer, share) -> {
            if (share > DEAD_RELU_SHARE) {
                findings.add(new Finding(Kind.DEAD_RELU, 0, 0, String.format(Locale.ROOT,
                        "dead ReLU: %.0f%% of the units of %s output 0 for every probe example; "
                                + "lower the learning rate or use leaky_relu/gelu (--activation)", 100 * share, layer)));
            }
        });
        findings.sort((a, b) -> a.kind().compareTo(b.kind()));
        return new Diagnosis(List.copyOf(findings), Map.copyOf(in.gradientNorms()), Map.copyOf(in.deadRelu()));
    }

    private static Finding diverging(Divergence d) {
        String what = Double.isFinite(d.loss())
                ? String.format(Locale.ROOT, "the batch loss exploded to %.4g, more than %.0f× the first step's %.4f",
                d.loss(), EXPLOSION_FACTOR, d.firstLoss())
                : "the loss became " + d.loss();
        return new Finding(Kind.DIVERGING, d.epoch(), d.step(), String.format(Locale.ROOT,
                "diverging at step %d (epoch %d): %s; lower the learning rate (--lr, e.g. 10× smaller, "
                        + "or find one with `descent lr-find`)", d.step(), d.epoch(), what));
    }

    private static Finding baseline(Evaluation model, Evaluation baseline, Task task) {
        boolean classification = task == Task.CLASSIFICATION;
        boolean beats = classification ? model.accuracy() > baseline.accuracy() : model.loss() < baseline.loss();
        String figures = classification
                ? String.format(Locale.ROOT, "accuracy %.2f%% against the naive baseline's %.2f%%",
                100 * model.accuracy(), 100 * baseline.accuracy())
                : String.format(Locale.ROOT, "loss %.4g against the naive baseline's %.4g", model.loss(), baseline.loss());
        return beats ? new Finding(Kind.BEATS_BASELINE, 0, 0, "beats the naive baseline: " + figures)
                : new Finding(Kind.BELOW_BASELINE, 0, 0, "does not beat the naive baseline: " + figures
                + "; train longer, change the learning rate or check the data");
    }

    private static Finding overfitting(List<EpochStats> h, int restoredEpoch) {
        EpochStats best = null;
        for (EpochStats e : h) {
            if (!Double.isNaN(e.validationLoss()) && (best == null || e.validationLoss() < best.validationLoss())) {
                best = e;
            }
        }
        EpochStats last = h.get(h.size() - 1);
        if (best == null || last.epoch() - best.epoch() < OVERFITTING_EPOCHS || !(last.validationLoss() > best.validationLoss() * (1 + OVERFITTING_RISE))
                || !(last.trainLoss() < best.trainLoss())) {
            return null;
        }
        String kept = restoredEpoch == best.epoch()
                ? String.format(Locale.ROOT, " (early stopping kept the weights of epoch %d)", best.epoch())
                : "; stop early (--patience)";
        return new Finding(Kind.OVERFITTING, best.epoch() + 1, 0, String.format(Locale.ROOT,
                "overfitting from epoch %d: the validation loss rose from %.4f (epoch %d) to %.4f while the training loss "
                        + "fell from %.4f to %.4f; add regularization (--l2, --dropout) or more data%s",
                best.epoch() + 1, best.validationLoss(), best.epoch(), last.validationLoss(), best.trainLoss(),
                last.trainLoss(), kept));
    }

    /** The finding of the given kind, or null. */
    public Finding find(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).findFirst().orElse(null);
    }

    /** Lines to print: one per finding, then the per-layer figures. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        findings.forEach(f -> lines.add("diagnosis: " + f.message()));
        if (!gradientNorms.isEmpty()) {
            lines.add("diagnosis: gradient norms (mean over the last epoch): " + format(gradientNorms, "%.3g", 1));
        }
        if (!deadRelu.isEmpty()) {
            lines.add("diagnosis: dead ReLU units: " + format(deadRelu, "%.1f%%", 100));
        }
        return lines;
    }

    private static String format(Map<String, Double> values, String pattern, double scale) {
        List<String> parts = new ArrayList<>();
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> parts.add(e.getKey() + " " + String.format(Locale.ROOT, pattern, scale * e.getValue())));
        return String.join(", ", parts);
    }

    /** The diagnosis as JSON-ready maps: {@code findings}, {@code gradient_norms}, {@code dead_relu}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findings", findings.stream().map(Finding::toMap).toList());
        m.put("gradient_norms", new java.util.TreeMap<>(gradientNorms));
        m.put("dead_relu", new java.util.TreeMap<>(deadRelu));
        return m;
    }
}
