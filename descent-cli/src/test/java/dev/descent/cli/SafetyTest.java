package dev.descent.cli;

import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.io.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descent's promises to a user's files, tried as a careless user would: output paths that are
 * files, foreign folders, devices or the root; an existing run; a locked folder; a diverging
 * learning rate; a resume with other settings; options that do not apply; bad values. Each case
 * hashes sentinel files before and after.
 */
class SafetyTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    /** Every file under {@code root} with its SHA-256. */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (Files.isRegularFile(root)) {
            m.put(root.toString(), sha256(root));
            return m;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString(), sha256(p));
            }
        }
        return m;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CliTest.Run train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "mnist", "--data-dir", mnist.toString(), "--limit", "1000",
                "--layers", "32", "--epochs", "2", "--no-plots"));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static void refused(CliTest.Run r, String expected) {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.lastErrorLine().startsWith("descent: error: ") && r.lastErrorLine().contains(expected), r.err());
    }

    @Test
    void outputPathsThatAreNotDescentsAreRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("thesis.txt"), "three years of work");
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(folder.resolve("cat.jpg"), "meow");
        Map<String, String> before = hashes(tmp);

        refused(train("--out", file.toString()), "is a file, not a folder");
        refused(train("--out", folder.toString()), "holds files Descent did not write (cat.jpg)");
        refused(train("--out", folder.toString(), "--overwrite"), "not even with --overwrite");
        refused(train("--out", mnist.toString()), "holds files Descent did not write");
        refused(train("--out", ""), "holds files Descent did not write"); // the current directory
        refused(train("--out", "/"), "holds files Descent did not write");
        refused(train("--out", "/dev/null"), "is a file, not a folder");
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
        refused(train("--out", "/proc/descent-cannot-write-here"), "cannot create the folder");
        assertEquals(before, hashes(tmp));
    }

    @Test
    void anExistingRunNeedsResumeOrOverwriteAndOverwriteKeepsOtherFiles() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train("--out", run.toString()).status());
        Files.writeString(run.resolve("notes.txt"), "my notes on this run");
        Map<String, String> before = hashes(run);
        refused(train("--out", run.toString()), "already holds a Descent run; continue it with --resume");
        assertEquals(before, hashes(run));

        CliTest.Run again = train("--out", run.toString(), "--overwrite", "--seed", "7");
        assertEquals(0, again.status(), again.err());
        assertEquals("my notes on this run", Files.readString(run.resolve("notes.txt")));
        assertEquals(7L, Json.toDouble(CliTest.map(Checkpoint.load(run).config().get("settings")).get("seed")), 0);
    }

    @Test
    void aFolderInUseIsRefusedNamingTheHolder() throws IOException {
        Path run = tmp.resolve("busy");
        try (RunFolder held = RunFolder.open(run, RunFolder.Mode.NEW, "--out")) {
            assertTrue(Files.exists(held.path().resolve(RunFolder.LOCK_FILE)));
            refused(train("--out", run.toString()), "is in use by another Descent run (pid " + ProcessHandle.current().pid() + ")");
        }
        assertEquals(0, train("--out", run.toString()).status());
    }

    @Test
    void aDivergingRunFailsWithStatus3AndKeepsTheGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("good");
        assertEquals(0, train("--out", run.toString()).status());
        Map<String, String> before = hashes(run);
        for (String lr : List.of("1e6", "1e300")) {
            CliTest.Run diverged = train("--out", run.toString(), "--overwrite", "--lr", lr);
            assertEquals(Main.DIVERGED, diverged.status(), diverged.err());
            assertTrue(diverged.lastErrorLine().startsWith("descent: error: training diverged in epoch 1"), diverged.err());
            assertTrue(diverged.err().contains("nothing was saved"), diverged.err());
            assertEquals(before, hashes(run));
        }
        refused(train("--out", run.toString(), "--overwrite", "--lr", "1e309"), "--lr must be a finite number");
        assertEquals(before, hashes(run));
    }

    @Test
    void resumeKeepsEverySettingAndRefusesContradictions() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train("--out", run.toString(), "--l2", "1e-4", "--validation", "0.2", "--min-delta", "0.001").status());
        Map<String, String> before = hashes(run);
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--batch-size", "64"),
                "--batch-size 64 contradicts the run in " + run + ", which has --batch-size 128");
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--model", "cnn"), "--model \"cnn\" contradicts");
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--optimizer", "sgd"), "--optimizer \"sgd\" contradicts");
        refused(CliTest.run("train", "--resume", run.toString()), "has already trained 2 epochs; ask for more with --epochs");
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--out", tmp.resolve("x").toString()),
                "--resume DIR writes into DIR");
        assertEquals(before, hashes(run));

        CliTest.Run resumed = CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--data-dir", mnist.toString(),
                "--no-plots", "--json");
        assertEquals(0, resumed.status(), resumed.err());
        Map<String, Object> settings = CliTest.map(Checkpoint.load(run).config().get("settings"));
        assertEquals(1e-4, Json.toDouble(settings.get("l2")));
        assertEquals(0.2, Json.toDouble(settings.get("validation")));
        assertEquals(0.001, Json.toDouble(settings.get("min_delta")));
        assertEquals(1000.0, Json.toDouble(settings.get("limit")));
        assertEquals(3.0, Json.toDouble(settings.get("epochs")));
        assertEquals(run.toString(), Json.parseObject(resumed.out().strip()).get("out"));
        assertEquals(3, Files.readAllLines(run.resolve("history.jsonl")).size());
    }

    @Test
    void optionsThatDoNotApplyAreRefused() throws IOException {
        Path table = Files.writeString(tmp.resolve("t.csv"), "a,b,y\n1,2,p\n3,4,q\n5,6,p\n7,8,q\n");
        refused(train("--algorithm", "tree"), "--algorithm does not apply to images (mnist)");
        refused(train("--cv", "5"), "--cv applies to tables");
        refused(train("--algorithm", "bogus"), "--algorithm must be one of the algorithms");
        refused(train("--model", "cnn", "--layers", "64"), "--model gives the whole model, so --layers would be ignored");
        refused(CliTest.run("train", table.toString(), "--augment", "rotate=10"), "--augment does not apply to a table");
        refused(CliTest.run("train", table.toString(), "--algorithm", "tree", "--lr", "0.1"),
                "--lr only apply to the network (--algorithm mlp)");
        refused(CliTest.run("predict", "--model", tmp.toString(), table.toString(), "--top", "2"), "no checkpoint at " + tmp);
    }

    @Test
    void badValuesAreOneLineErrors() throws IOException {
        refused(train("--min-delta", "-1"), "--min-delta must be 0 or more, got -1.0");
        refused(train("--batch-size", "2147483647"), "--batch-size must be from 1 to 1048576");
        refused(CliTest.run("train", "--epochs", "-5"), "--epochs must be from 1 to 1000000, got -5");
        refused(train("--lr", "0"), "--lr must be positive");

        Path run = tmp.resolve("run");
        assertEquals(0, train("--out", run.toString()).status());
        Path config = run.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"batch_size\": 128", "\"batch_size\": 0"));
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3"), "--batch-size must be from 1 to 1048576, got 0");
        Files.writeString(config, original.replace("\"epochs\": 2,", "\"epochs\": -5,"));
        refused(CliTest.run("train", "--resume", run.toString(), "--epochs", "3"), "--epochs must be from 1 to 1000000, got -5");
        Map<String, Object> parsed = Json.parseObject(original);
        CliTest.map(parsed.get("normalization")).remove("std");
        Files.writeString(config, Json.pretty(parsed));
        refused(CliTest.run("eval", "--model", run.toString(), "--data-dir", mnist.toString()), "\"std\"");
        Files.writeString(config, "[".repeat(100_000));
        refused(CliTest.run("eval", "--model", run.toString(), "--data-dir", mnist.toString()), "config.json");
    }

    @Test
    void predictNeverReplacesAFileUnasked() throws IOException {
        Path table = Files.writeString(tmp.resolve("t.csv"), "a,b,y\n1,2,p\n3,4,q\n5,6,p\n7,8,q\n1,3,p\n3,5,q\n5,7,p\n7,9,q\n");
        Path run = tmp.resolve("tm");
        CliTest.Run trained = CliTest.run("train", table.toString(), "--out", run.toString(), "--epochs", "2", "--test-size", "0.5");
        assertEquals(0, trained.status(), trained.err());
        Path precious = Files.writeString(tmp.resolve("results.csv"), "not Descent's");
        refused(CliTest.run("predict", "--model", run.toString(), table.toString(), "--output", precious.toString()),
                "exists; give another file name, or --overwrite");
        assertEquals("not Descent's", Files.readString(precious));
        CliTest.Run replaced = CliTest.run("predict", "--model", run.toString(), table.toString(), "--output",
                precious.toString(), "--overwrite");
        assertEquals(0, replaced.status(), replaced.err());
        assertTrue(Files.readString(precious).startsWith("prediction,probability_p,probability_q"));
        refused(CliTest.run("predict", "--model", run.toString(), table.toString(), "--output", tmp.toString()), "is a folder");
        assertFalse(Files.exists(tmp.resolve("tm").resolve("notes")));
    }
}
