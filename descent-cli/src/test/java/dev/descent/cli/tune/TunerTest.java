package dev.descent.cli.tune;

import dev.descent.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tuner with a stand-in for `descent train`: a score that is a known function of the configuration. */
class TunerTest {
    private static final SearchSpace SPACE = SearchSpace.parse("""
            {"lr": {"log_uniform": [1e-5, 1e-1]},
             "layers": {"choice": ["64", "128,64"]},
             "dropout": {"uniform": [0, 0.5], "when": {"layers": ["128,64"]}}}""");

    /** Validation accuracy peaks at lr = 1e-3 and prefers two layers: 0.9 − 0.05·(log10 lr + 3)² (+0.02). */
    private static Map<String, Object> fakeTrain(Tuner.Job job) {
        double lr = ((Number) job.config().get("lr")).doubleValue();
        double acc = 0.9 - 0.05 * Math.pow(Math.log10(lr) + 3, 2) + (job.config().get("layers").equals("128,64") ? 0.02 : 0)
                - 0.1 / job.epochs();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("val_accuracy", acc);
        summary.put("val_loss", 1 - acc);
        summary.put("epochs", (long) job.epochs());
        summary.put("best_epoch", (long) job.epochs());
        return summary;
    }

    private static Tuner.Settings settings(Tuner.Strategy strategy, int trials, int parallel) {
        return new Tuner.Settings(strategy, 7, trials, 0, parallel, 9, 1, 3, 3, "val_accuracy");
    }

    @Test
    void aKilledSearchResumesWithoutLosingOrRepeatingAFinishedTrial(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("trials.jsonl");
        AtomicInteger runs = new AtomicInteger();
        List<Integer> ranFirst = Collections.synchronizedList(new ArrayList<>());
        Tuner.Runner dying = job -> {
            if (runs.incrementAndGet() > 5) {
                throw new IllegalStateException("killed");          // the process dies while trials 5.. run
            }
            ranFirst.add(job.trial());
            return fakeTrain(job);
        };
        assertThrows(IllegalStateException.class, () -> new Tuner(SPACE, settings(Tuner.Strategy.TPE, 12, 2), log, dying).run());
        List<Map<String, Object>> logged = Tuner.readLog(log);
        assertTrue(logged.size() >= 4 && logged.size() <= 5, "finished before the kill: " + logged.size());
        Files.writeString(log, Files.readString(log) + "{\"trial\": 9, \"par", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING); // a line cut short

        List<Integer> ranSecond = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> all = new Tuner(SPACE, settings(Tuner.Strategy.TPE, 12, 2), log, job -> {
            ranSecond.add(job.trial());
            return fakeTrain(job);
        }).run();
        Set<Integer> before = new HashSet<>();
        logged.forEach(r -> before.add((int) Json.toDouble(r.get("trial"))));
        for (int t : ranSecond) {
            assertTrue(!before.contains(t), "trial " + t + " finished before the kill and ran again");
        }
        assertEquals(12, all.size());
        Set<Integer> ids = new HashSet<>();
        all.forEach(r -> ids.add((int) Json.toDouble(r.get("trial"))));
        assertEquals(12, ids.size());                                      // 0..11, each once
        assertEquals(12, Tuner.readLog(log).size());
        for (Map<String, Object> r : logged) {                            // the finished ones are kept as they were
            assertTrue(all.contains(r));
        }
    }

    @Test
    void randomSearchIsDeterministicPerTrialAndCoversTheChoices(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> a = new Tuner(SPACE, settings(Tuner.Strategy.RANDOM, 30, 3), dir.resolve("a.jsonl"), TunerTest::fakeTrain).run();
        List<Map<String, Object>> b = new Tuner(SPACE, settings(Tuner.Strategy.RANDOM, 30, 1), dir.resolve("b.jsonl"), TunerTest::fakeTrain).run();
        assertEquals(byTrial(a), byTrial(b));
        Set<Object> layers = new HashSet<>();
        int withDropout = 0;
        for (Map<String, Object> r : a) {
            Map<String, Object> p = Tuner.params(r);
            layers.add(p.get("layers"));
            double lr = ((Number) p.get("lr")).doubleValue();
            assertTrue(lr >= 1e-5 && lr <= 1e-1);
            assertEquals(p.get("layers").equals("128,64"), p.containsKey("dropout"));   // the condition
            withDropout += p.containsKey("dropout") ? 1 : 0;
        }
        assertEquals(Set.of("64", "128,64"), layers);
        assertTrue(withDropout > 5 && withDropout < 25, "dropout drawn " + withDropout + " of 30 times");
    }

    private static Map<Object, Object> byTrial(List<Map<String, Object>> records) {
        Map<Object, Object> m = new HashMap<>();
        records.forEach(r -> m.put(r.get("trial"), r.get("params")));
        return m;
    }

    @Test
    void tpeIsDeterministicWithOneWorkerAndConcentratesNearTheOptimum(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> a = new Tuner(SPACE, settings(Tuner.Strategy.TPE, 40, 1), dir.resolve("a.jsonl"), TunerTest::fakeTrain).run();
        List<Map<String, Object>> b = new Tuner(SPACE, settings(Tuner.Strategy.TPE, 40, 1), dir.resolve("b.jsonl"), TunerTest::fakeTrain).run();
        assertEquals(byTrial(a), byTrial(b));
        double nearStartup = 0, nearLater = 0;
        for (Map<String, Object> r : a) {
            double distance = Math.abs(Math.log10(((Number) Tuner.params(r).get("lr")).doubleValue()) + 3);
            if ((int) Json.toDouble(r.get("trial")) < Tpe.STARTUP) {
                nearStartup += distance / Tpe.STARTUP;
            } else {
                nearLater += distance / (40 - Tpe.STARTUP);
            }
        }
        assertTrue(nearLater < 0.6 * nearStartup, "TPE's lr should approach 1e-3: mean |log10 lr + 3| " + nearStartup + " → " + nearLater);
        Map<String, Object> best = Tuner.ranked(a, "val_accuracy").get(0);
        assertEquals("128,64", Tuner.params(best).get("layers"));
    }

    @Test
    void gridEnumeratesEveryConfigurationOnce(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> all = new Tuner(SPACE, settings(Tuner.Strategy.GRID, 0, 2), dir.resolve("g.jsonl"), TunerTest::fakeTrain).run();
        assertEquals(3 * (1 + 3), all.size());                            // lr × (64, or 128,64 × 3 dropouts)
        Set<Object> configs = new HashSet<>();
        all.forEach(r -> configs.add(r.get("params")));
        assertEquals(all.size(), configs.size());
    }

    @Test
    void hyperbandPromotesTheBestThirdOfEachRungAndResumesTheirCheckpoints(@TempDir Path dir) throws Exception {
        List<Tuner.Job> jobs = Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> all = new Tuner(SPACE, settings(Tuner.Strategy.HYPERBAND, 27, 1), dir.resolve("h.jsonl"), job -> {
            jobs.add(job);
            return fakeTrain(job);
        }).run();
        Hyperband hb = new Hyperband(1, 9, 3);
        for (Tuner.Job job : jobs) {
            assertEquals(hb.epochs(job.rung()), job.epochs());
            assertEquals(job.rung() > hb.firstRung(job.trial()), job.resume());
        }
        long promotions = jobs.stream().filter(Tuner.Job::resume).count();
        assertTrue(promotions > 0, "some trials are promoted");
        Map<Integer, Integer> top = new HashMap<>();
        for (Map<String, Object> r : all) {
            top.merge((int) Json.toDouble(r.get("trial")), (int) Json.toDouble(r.get("rung")), Math::max);
        }
        assertEquals(27, top.size());
        assertTrue(top.values().stream().anyMatch(r -> r == 2), "someone reaches the last rung");
    }

    @Test
    void aFailedTrialIsLoggedAndScoredLowest(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> all = new Tuner(SPACE, settings(Tuner.Strategy.RANDOM, 3, 1), dir.resolve("f.jsonl"), job -> {
            if (job.trial() == 1) {
                throw new Tuner.TrialFailed("training diverged: the loss became NaN at epoch 1, batch 3 (step 3)");
            }
            return fakeTrain(job);
        }).run();
        Map<String, Object> failed = Tuner.ranked(all, "val_accuracy").get(2);
        assertEquals(1, Json.toDouble(failed.get("trial")));
        assertEquals("failed", failed.get("status"));
        assertTrue(((String) failed.get("error")).contains("diverged"));
    }

    @Test
    void aSearchWhoseTrialsAllFailStopsWithTheirError(@TempDir Path dir) {
        AtomicInteger runs = new AtomicInteger();
        var e = assertThrows(dev.descent.DescentException.class, () -> new Tuner(SPACE, settings(Tuner.Strategy.TPE, 0, 2),
                dir.resolve("f.jsonl"), job -> {
                    runs.incrementAndGet();
                    throw new Tuner.TrialFailed("descent: error: MNIST was not found");
                }).run());
        assertTrue(e.getMessage().startsWith("the last 3 trials failed, the last with: descent: error: MNIST was not found"), e.getMessage());
        assertTrue(runs.get() <= 4, "stopped after " + runs.get());
    }

    @Test
    void aDamagedLogIsOneClearError(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("bad.jsonl");
        Files.writeString(log, "{\"trial\": 0}\nnot json\n");
        var e = assertThrows(dev.descent.DescentException.class, () -> Tuner.readLog(log));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }
}
