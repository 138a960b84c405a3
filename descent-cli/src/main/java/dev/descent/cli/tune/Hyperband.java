package dev.descent.cli.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asynchronous Hyperband (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2020):
 * asynchronous successive halving (ASHA) in several brackets. The rungs train for
 * <pre>
 *   r_k = r_min · η^k epochs for k = 0 … K − 1 (all below r_max),  r_K = r_max,  K = ⌈log_η(r_max / r_min)⌉
 * </pre>
 * and there are K + 1 brackets: trial i belongs to bracket s = i mod (K + 1), whose trials start at
 * rung s (bracket 0 is plain ASHA from r_min; bracket K trains every trial fully). Whenever a worker
 * is free, the highest rung k of any bracket with a trial in the top ⌊n_k / η⌋ of the n_k trials
 * finished there, not yet promoted and not stopped early, promotes that trial to rung k + 1 (it
 * resumes its checkpoint for more epochs); otherwise a new trial starts.
 */
public final class Hyperband {
    private final int eta;
    private final List<Integer> rungs;

    /** A finished rung of a trial. */
    public record Result(int trial, int rung, double score, boolean stoppedEarly) {
    }

    /** A promotion: train {@code trial} on to rung {@code rung}. */
    public record Promotion(int trial, int rung) {
    }

    public Hyperband(int minEpochs, int maxEpochs, int eta) {
        if (minEpochs < 1 || maxEpochs < minEpochs || eta < 2) {
            throw new IllegalArgumentException("1 ≤ min epochs ≤ max epochs and η ≥ 2 required");
        }
        this.eta = eta;
        this.rungs = rungs(minEpochs, maxEpochs, eta);
    }

    /** r_0 … r_K of the class comment. */
    public static List<Integer> rungs(int minEpochs, int maxEpochs, int eta) {
        List<Integer> r = new ArrayList<>();
        for (long e = minEpochs; e < maxEpochs; e *= eta) {
            r.add((int) e);
        }
        r.add(maxEpochs);
        return List.copyOf(r);
    }

    public List<Integer> rungs() {
        return rungs;
    }

    /** K + 1. */
    public int brackets() {
        return rungs.size();
    }

    /** The bracket of a trial. */
    public int bracket(int trial) {
        return trial % brackets();
    }

    /** The rung where a trial starts. */
    public int firstRung(int trial) {
        return bracket(trial);
    }

    /**
     * The promotion to make now, or null: see the class comment.
     *
     * @param results  every finished rung
     * @param busy     the trials running now (they cannot be promoted)
     */
    public Promotion promotion(List<Result> results, Set<Integer> busy) {
        for (int k = rungs.size() - 2; k >= 0; k--) {
            for (int s = 0; s <= k; s++) {
                int rung = k, bracket = s;
                List<Result> here = results.stream().filter(r -> r.rung() == rung && bracket(r.trial()) == bracket)
                        .sorted(Comparator.comparingDouble(Result::score).reversed().thenComparingInt(Result::trial)).toList();
                int top = here.size() / eta;
                for (Result r : here.subList(0, top)) {
                    boolean promoted = results.stream().anyMatch(o -> o.trial() == r.trial() && o.rung() > rung);
                    if (!promoted && !r.stoppedEarly() && !busy.contains(r.trial())) {
                        return new Promotion(r.trial(), rung + 1);
                    }
                }
            }
        }
        return null;
    }

    /** Epochs of rung k. */
    public int epochs(int rung) {
        return rungs.get(rung);
    }

    /** The highest-rung result of each trial. */
    public static Map<Integer, Result> last(List<Result> results) {
        Map<Integer, Result> m = new java.util.TreeMap<>();
        for (Result r : results) {
            m.merge(r.trial(), r, (a, b) -> a.rung() >= b.rung() ? a : b);
        }
        return m;
    }
}
