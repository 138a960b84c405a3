package dev.descent.train;

import dev.descent.tensor.Autograd;
import dev.descent.nn.Activation;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gathers what a {@link Diagnosis} needs while {@link Trainer} runs: the first step where the batch
 * loss exploded ({@code loss > }{@value Diagnosis#EXPLOSION_FACTOR}{@code × first loss}), the
 * gradient norm ‖∂L/∂θ‖₂ of every parameter tensor, averaged over every {@value #GRADIENT_EVERY}th
 * step of each epoch (read after the step, before the next zeroing), and at each epoch's end the
 * share of dead units of every ReLU layer of a {@link Sequential} model: units whose output is 0 for
 * every example of a fixed probe batch, run in evaluation mode. Nothing is added to the hot loop
 * besides the sampled norms.
 */
public final class DiagnosisCollector implements Callback {
    /** Gradient norms are read at every this-many-th step (and at the first). */
    public static final int GRADIENT_EVERY = 10;

    private final Tensor probe;
    private double firstLoss = Double.NaN;
    private Diagnosis.Divergence divergence;
    private final Map<String, Double> normSums = new LinkedHashMap<>();
    private int normSamples;
    private Map<String, Double> gradientNorms = Map.of();
    private Map<String, Double> deadRelu = Map.of();

    /**
     * @param probe inputs {@code [N, ...]} (already normalized) on which dead ReLU units are counted,
     *              or null to skip that count
     */
    public DiagnosisCollector(Tensor probe) {
        this.probe = probe;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
        long step = trainer.optimizer().stepCount();
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
        }
        if (divergence == null && (!Double.isFinite(loss) || loss > Diagnosis.EXPLOSION_FACTOR * firstLoss)) {
            divergence = new Diagnosis.Divergence(epoch, step, loss, firstLoss);
        }
        if (batch == 1 || step % GRADIENT_EVERY == 0) {
            try (var scope = Autograd.noGrad()) {
                trainer.model().namedParameters().forEach((name, p) -> {
                    if (p.grad() != null) {
                        double norm = Math.sqrt(p.grad().mul(p.grad()).sum().item());
                        normSums.merge(name, norm, Double::sum);
                    }
                });
            }
            normSamples++;
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochStats stats) {
        Map<String, Double> norms = new LinkedHashMap<>();
        int samples = Math.max(1, normSamples);
        normSums.forEach((name, sum) -> norms.put(name, sum / samples));
        gradientNorms = norms;
        normSums.clear();
        normSamples = 0;
        if (probe != null && trainer.model() instanceof Sequential) {
            deadRelu = deadReluShares(trainer.model(), probe);
        }
    }

    /** Called when the trainer throws: records the non-finite step if no explosion came before it. */
    public void diverged(TrainingDivergedException e) {
        if (divergence == null) {
            divergence = new Diagnosis.Divergence(e.epoch(), e.step(), e.loss(), firstLoss);
        }
    }

    /** The first exploding step, or null. */
    public Diagnosis.Divergence divergence() {
        return divergence;
    }

    /** Mean gradient norm per parameter over the last finished epoch. */
    public Map<String, Double> gradientNorms() {
        return gradientNorms;
    }

    /** Dead-unit share per ReLU layer after the last finished epoch. */
    public Map<String, Double> deadRelu() {
        return deadRelu;
    }

    /** This epoch's per-layer figures for the history line: {@code grad_norm} and {@code dead_relu} maps. */
    public Map<String, Object> epochFigures() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!gradientNorms.isEmpty()) {
            m.put("grad_norm", new LinkedHashMap<>(gradientNorms));
        }
        if (!deadRelu.isEmpty()) {
            m.put("dead_relu", new LinkedHashMap<>(deadRelu));
        }
        return m;
    }

    /**
     * For each ReLU child of {@code model} (a {@link Sequential}), the share of its output units that
     * are 0 for every row of {@code inputs}; computed in evaluation mode without recording.
     */
    public static Map<String, Double> deadReluShares(Module model, Tensor inputs) {
        Map<String, Double> shares = new LinkedHashMap<>();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor x = inputs;
            for (Map.Entry<String, Module> child : model.children().entrySet()) {
                x = child.getValue().forward(x);
                if (child.getValue() instanceof Activation a && a.kind() == Activation.Kind.RELU) {
                    shares.put(child.getKey(), deadShare(x));
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return shares;
    }

    private static double deadShare(Tensor activations) {
        int rows = activations.dim(0);
        float[] v = activations.toFloatArray();
        int units = v.length / Math.max(1, rows);
        int dead = 0;
        for (int u = 0; u < units; u++) {
            boolean fired = false;
            for (int r = 0; r < rows && !fired; r++) {
                fired = v[r * units + u] > 0;
            }
            if (!fired) {
                dead++;
            }
        }
        return units == 0 ? 0 : (double) dead / units;
    }
}
