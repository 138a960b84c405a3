package dev.descent.cli;

import dev.descent.io.Checkpoint;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code descent train} killed with SIGKILL at random moments, in a child JVM: every time, the run
 * folder holds a checkpoint that loads (or none at all), and resuming it ends with the same
 * weights, to the bit, as the run that was never interrupted (cosine schedule and early stopping
 * included).
 */
class KillTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    private static List<String> trainArgs(Path out) {
        // About 10 s of training on a quiet machine: long enough that two of the kills below, 1.5 to 4 s
        // after each start, land before the run is done, however fast the kernels get.
        return List.of("train", "mnist", "--data-dir", mnist.toString(), "--limit", "30000", "--layers", "512",
                "--epochs", "10", "--patience", "2", "--no-plots", "--threads", "1", "--out", out.toString());
    }

    @Test
    void killedRunsAlwaysLeaveALoadableCheckpointAndResumeToTheSameWeights() throws Exception {
        Path straight = tmp.resolve("straight");
        CliTest.Run uninterrupted = CliTest.run(trainArgs(straight).toArray(String[]::new));
        assertEquals(0, uninterrupted.status(), uninterrupted.err());
        Map<String, Tensor> expected = Checkpoint.load(straight).weights();

        SplittableRandom random = new SplittableRandom(2026);
        Path killed = tmp.resolve("killed");
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            List<String> args = Files.exists(killed.resolve("config.json"))
                    ? List.of("train", "--resume", killed.toString(), "--data-dir", mnist.toString(), "--no-plots", "--threads", "1")
                    : trainArgs(killed);
            Process p = ChildJvm.start(args, tmp.resolve("child-" + attempt + ".log"));
            Thread.sleep(1500 + random.nextInt(2500));
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
                kills++;
            }
            if (Files.exists(killed.resolve("config.json"))) {
                Model.load(killed); // loads, whatever the moment of the kill
            }
        }
        assertTrue(kills >= 2, "the runs finished before they could be killed; make them longer");
        if (Checkpoint.isCheckpoint(killed)) {
            CliTest.Run resumed = CliTest.run("train", "--resume", killed.toString(), "--data-dir", mnist.toString(),
                    "--no-plots", "--threads", "1");
            assertTrue(resumed.status() == 0 || resumed.err().contains("has already trained 10 epochs"), resumed.err());
        } else {
            assertEquals(0, CliTest.run(trainArgs(killed).toArray(String[]::new)).status());
        }
        Map<String, Tensor> actual = Checkpoint.load(killed).weights();
        expected.forEach((name, t) -> assertArrayEquals(t.toFloatArray(), actual.get(name).toFloatArray(), name));
    }
}
