package dev.descent.cli;

import dev.descent.cli.tune.Tuner;
import dev.descent.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** descent train's diagnosis and pictures, lr-find, plot and tune, run as a user would (tune's trials in child JVMs). */
class PragmaticsCommandsTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    private static void assertPicture(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() > 300 && image.getHeight() > 200, "not a picture: " + png);
        String svg = Files.readString(png.resolveSibling(png.getFileName().toString().replace(".png", ".svg")));
        assertTrue(svg.contains("<svg"), "not SVG");
    }

    @Test
    void trainPrintsAndStoresTheDiagnosisAndDrawsItsCurves() throws IOException {
        Path out = tmp.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data-dir", mnist.toString(), "--limit", "500", "--layers", "64", "--epochs", "2",
                "--out", out.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("diagnosis: beats the naive baseline"), r.err());
        assertTrue(r.err().contains("diagnosis: dead ReLU units: relu1"), r.err());
        Map<String, Object> summary = Json.parseObject(r.out().strip());
        assertTrue(summary.containsKey("val_accuracy") && summary.containsKey("diagnosis"));
        String history = Files.readString(out.resolve("history.jsonl"));
        assertTrue(history.contains("\"grad_norm\":{\"fc1.weight\""), history);
        for (String name : List.of("loss.png", "accuracy.png", "confusion.png")) {
            assertPicture(out.resolve(name));
        }
        Path again = tmp.resolve("again");
        CliTest.Run plot = CliTest.run("plot", out.resolve("history.jsonl").toString(), "--out", again.toString());
        assertEquals(0, plot.status(), plot.err());
        assertPicture(again.resolve("loss.png"));
    }

    @Test
    void aHugeLearningRateEndsWithTheDivergenceDiagnosisAndExitStatus3() {
        CliTest.Run r = CliTest.run("train", "--data-dir", mnist.toString(), "--limit", "500", "--layers", "64", "--epochs", "3",
                "--optimizer", "sgd", "--lr", "1e4", "--schedule", "constant", "--out", tmp.resolve("d").toString());
        assertTrue(r.err().contains("diagnosis: diverging at step "), r.err());
        assertEquals(Main.DIVERGED, r.status(), r.err());
        assertTrue(r.lastErrorLine().startsWith("descent: error: training diverged in epoch 1"), r.lastErrorLine());
        assertTrue(r.lastErrorLine().contains("descent lr-find"), r.lastErrorLine());
    }

    @Test
    void lrFindWritesTheCurveAndASuggestion() throws IOException {
        Path out = tmp.resolve("lr");
        CliTest.Run r = CliTest.run("lr-find", "--data-dir", mnist.toString(), "--limit", "2000", "--layers", "64",
                "--steps", "60", "--min-lr", "1e-5", "--max-lr", "10", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        double suggestion = Double.parseDouble(r.out().strip());
        assertTrue(suggestion > 1e-5 && suggestion < 10, "suggestion " + suggestion);
        assertPicture(tmp.resolve("lr.png"));
        assertTrue(Files.readAllLines(tmp.resolve("lr.csv")).size() > 10);
    }

    @Test
    void badSpacesAndBudgetsAreOneLineErrors() throws IOException {
        Path space = tmp.resolve("space.json");
        Files.writeString(space, "{\"lr\": {\"log_uniform\": [0, 1e-2]}}");
        CliTest.Run r = CliTest.run("tune", space.toString(), "--trials", "2", "--out", tmp.resolve("t").toString());
        assertEquals(2, r.status());
        assertTrue(r.lastErrorLine().contains("'lr': log_uniform needs [low, high] with low < high and low > 0"), r.lastErrorLine());
        Files.writeString(space, "{\"dropout\": {\"uniform\": [0, 0.5], \"when\": {\"layers\": [\"64\"]}}}");
        assertTrue(CliTest.run("tune", space.toString(), "--trials", "2").lastErrorLine().contains("which must be an entry of the space before it"));
        Files.writeString(space, "{\"lr\": {\"choise\": [1]}}");
        assertTrue(CliTest.run("tune", space.toString(), "--trials", "2").lastErrorLine().contains("unknown kind 'choise'"));
        Files.writeString(space, "{\"lr\": {\"choice\": [1e-3]}}");
        assertTrue(CliTest.run("tune", space.toString()).lastErrorLine().contains("give a budget: --trials N or --time 20m"));
        assertTrue(CliTest.run("tune", space.toString(), "--time", "20 minutes").lastErrorLine().contains("is not a duration"));
        assertTrue(CliTest.run("tune", space.toString(), "--trials", "1", "--strategy", "bayes").lastErrorLine().contains("unknown --strategy 'bayes'"));
        assertTrue(CliTest.run("tune", tmp.resolve("none.json").toString(), "--trials", "1").lastErrorLine().contains("cannot read the search space"));
    }

    /**
     * A real kill: {@code descent tune} in its own JVM is killed (SIGKILL) after its first finished
     * trial; its trial JVMs end with it; the same command run again loses no finished trial and repeats none.
     */
    @Test
    void killingTuneMidRunLosesNoFinishedTrialAndRepeatsNone() throws Exception {
        Path space = tmp.resolve("space.json");
        Files.writeString(space, "{\"lr\": {\"log_uniform\": [1e-3, 1e-2]}, \"layers\": {\"choice\": [\"32\", \"64\"]}}");
        Path out = tmp.resolve("tune");
        List<String> args = List.of("tune", space.toString(), "--data-dir", mnist.toString(), "--limit", "300", "--epochs", "1",
                "--strategy", "random", "--trials", "5", "--parallel", "1", "--out", out.toString(), "--no-final");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-javaagent")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Process tune = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("tune.log").toFile()).start();
        Path log = out.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (Tuner.readLog(log).isEmpty() && System.nanoTime() < deadline && tune.isAlive()) {
            Thread.sleep(200);
        }
        List<ProcessHandle> trials = tune.descendants().toList();
        tune.destroyForcibly().waitFor();
        List<Map<String, Object>> before = Tuner.readLog(log);
        assertTrue(!before.isEmpty() && before.size() < 5, "killed after " + before.size() + " trials; " + Files.readString(tmp.resolve("tune.log")));
        for (ProcessHandle child : trials) {
            child.onExit().get(60, TimeUnit.SECONDS);                 // the trial JVMs end with their parent
        }

        CliTest.Run again = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, again.status(), again.err());
        assertTrue(again.err().contains("resuming " + out + " (" + before.size()), again.err());
        List<Map<String, Object>> after = Tuner.readLog(log);
        assertEquals(5, after.size());
        Set<Object> ids = new HashSet<>();
        after.forEach(rec -> ids.add(rec.get("trial")));
        assertEquals(5, ids.size());                                  // none repeated
        assertEquals(before, after.subList(0, before.size()));        // none lost
        for (Map<String, Object> rec : before) {
            assertTrue(!again.err().contains("trial " + rec.get("trial") + ":"), "trial " + rec.get("trial") + " ran again");
        }
        assertTrue(Files.readString(out.resolve("results.md")).contains("| 5 |"));
        assertTrue(Files.exists(out.resolve("tuning.png")));
    }
}
