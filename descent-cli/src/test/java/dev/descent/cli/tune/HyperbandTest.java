package dev.descent.cli.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HyperbandTest {

    @Test
    void rungsGrowByEtaUpToTheMaximum() {
        assertEquals(List.of(1, 3, 9), Hyperband.rungs(1, 9, 3));
        assertEquals(List.of(1, 3, 9, 15), Hyperband.rungs(1, 15, 3));
        assertEquals(List.of(2, 4, 8, 16, 20), Hyperband.rungs(2, 20, 2));
        assertEquals(List.of(5), Hyperband.rungs(5, 5, 3));
    }

    @Test
    void trialsCycleThroughTheBrackets() {
        Hyperband hb = new Hyperband(1, 9, 3);
        assertEquals(3, hb.brackets());
        assertEquals(List.of(0, 1, 2, 0, 1), List.of(hb.firstRung(0), hb.firstRung(1), hb.firstRung(2), hb.firstRung(3), hb.firstRung(4)));
        assertEquals(9, hb.epochs(2));
    }

    /** Bracket 0 with η = 3: of 9 trials finished at rung 0 the best 3 are promoted, best first; of 3 at rung 1, the best one. */
    @Test
    void theTopThirdOfARungIsPromotedBestFirst() {
        Hyperband hb = new Hyperband(1, 9, 3);
        List<Hyperband.Result> results = new ArrayList<>();
        double[] scores = new double[27];
        SplittableRandom rng = new SplittableRandom(4);
        for (int t = 0; t < 27; t += 3) {                         // bracket 0: trials 0, 3, 6, ...
            scores[t] = rng.nextDouble();
            results.add(new Hyperband.Result(t, 0, scores[t], false));
        }
        List<Integer> promoted = new ArrayList<>();
        Hyperband.Promotion p;
        while ((p = hb.promotion(results, Set.of())) != null) {
            assertEquals(1, p.rung() - rungOf(results, p.trial()));
            promoted.add(p.trial());
            results.add(new Hyperband.Result(p.trial(), p.rung(), scores[p.trial()] + p.rung(), false));
        }
        List<Integer> byScore = new ArrayList<>();
        for (int t = 0; t < 27; t += 3) {
            byScore.add(t);
        }
        byScore.sort((a, b) -> Double.compare(scores[b], scores[a]));
        assertEquals(List.of(byScore.get(0), byScore.get(1), byScore.get(2), byScore.get(0)), promoted);
    }

    @Test
    void busyAndEarlyStoppedTrialsAreNotPromoted() {
        Hyperband hb = new Hyperband(1, 9, 3);
        List<Hyperband.Result> results = List.of(new Hyperband.Result(0, 0, 0.9, true), new Hyperband.Result(3, 0, 0.5, false),
                new Hyperband.Result(6, 0, 0.4, false));
        assertNull(hb.promotion(results, Set.of()));              // the top third (trial 0) stopped early
        List<Hyperband.Result> fine = List.of(new Hyperband.Result(0, 0, 0.9, false), results.get(1), results.get(2));
        assertNull(hb.promotion(fine, Set.of(0)));
        assertEquals(new Hyperband.Promotion(0, 1), hb.promotion(fine, Set.of()));
    }

    private static int rungOf(List<Hyperband.Result> results, int trial) {
        return results.stream().filter(r -> r.trial() == trial).mapToInt(Hyperband.Result::rung).max().orElseThrow();
    }
}
