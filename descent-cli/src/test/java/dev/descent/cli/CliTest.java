package dev.descent.cli;

import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line run in-process, as a user would: real MNIST, real files, exit codes and messages. */
class CliTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    /** Exit status and both output streams of one command. */
    record Run(int status, String out, String err) {
        String lastErrorLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @BeforeAll
    static void findData() {
        mnist = mnistFolder();
    }

    /** The MNIST folder under DESCENT_DATA (or the descent.data property), failing clearly when it is missing. */
    static Path mnistFolder() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        Path folder = root == null ? null : Path.of(root, "mnist");
        assertTrue(folder != null && Files.isDirectory(folder),
                "MNIST is needed: set DESCENT_DATA to a folder holding mnist/ (see README)");
        return folder;
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream previousErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            int status = Main.run(o, e, args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(previousErr);
        }
    }

    /** A small, quick training run: 3000 examples, one hidden layer of 64 units. */
    private Run train(Path out, int epochs, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "mnist", "--data-dir", mnist.toString(),
                "--limit", "3000", "--layers", "64", "--epochs", String.valueOf(epochs), "--batch-size", "50",
                "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void trainsEvaluatesAndPredicts() throws IOException {
        Path out = tmp.resolve("run");
        Run trained = train(out, 2);
        assertEquals(0, trained.status(), trained.err());
        Map<String, Object> summary = Json.parseObject(trained.out().strip());
        double accuracy = Json.toDouble(summary.get("test_accuracy"));
        assertTrue(accuracy > 0.8, "accuracy " + accuracy);
        assertTrue(accuracy > Json.toDouble(summary.get("baseline_accuracy")));
        for (String key : List.of("test_loss", "epochs", "seconds")) {
            assertTrue(summary.containsKey(key), key);
        }
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "config.json", "history.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertEquals(2, Files.readAllLines(out.resolve("history.jsonl")).size());

        Run eval = run("eval", "--model", out.toString(), "--data-dir", mnist.toString(), "--limit", "3000", "--json");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(accuracy, Json.toDouble(Json.parseObject(eval.out().strip()).get("test_accuracy")), 1e-9);

        Run idx = run("predict", "--model", out.toString(), mnist.resolve("t10k-images-idx3-ubyte.gz").toString(), "--limit", "3");
        assertEquals(0, idx.status(), idx.err());
        assertEquals(3, idx.out().strip().split("\n").length);
        assertTrue(idx.out().startsWith("t10k-images-idx3-ubyte.gz#0:  7 ("), idx.out()); // the first test image is a 7

        Path png = tmp.resolve("one.png");
        BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 56, 56);
        g.setColor(Color.BLACK);
        g.fillRect(24, 8, 8, 40); // a dark vertical stroke on white: a "1"
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
        Run pic = run("predict", "--model", out.toString(), png.toString(), "--top", "2", "--json");
        assertEquals(0, pic.status(), pic.err());
        Map<String, Object> prediction = Json.parseObject(pic.out().strip());
        assertEquals(2, ((List<?>) prediction.get("top")).size());
    }

    /**
     * A run of 3 epochs resumed to 6 ends with the same weights, to the bit, as 6 epochs straight: the
     * weights, the optimizer state, the early-stopping state and the batch order all continue (a constant
     * learning rate, since a cosine schedule spans the epochs each command asks for; {@code KillTest} checks
     * a killed cosine run).
     */
    @Test
    void resumedTrainingContinuesBitForBit() throws IOException {
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        assertEquals(0, train(straight, 6, "--patience", "2", "--schedule", "constant").status());
        assertEquals(0, train(split, 3, "--patience", "2", "--schedule", "constant").status());
        Run resumed = run("train", "--resume", split.toString(), "--epochs", "6", "--data-dir", mnist.toString());
        assertEquals(0, resumed.status(), resumed.err());
        Map<String, Tensor> a = Checkpoint.load(straight).weights(), b = Checkpoint.load(split).weights();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.toFloatArray(), b.get(name).toFloatArray(), name));
        assertEquals(Files.readString(straight.resolve("history.jsonl")).replaceAll("\"seconds\":[^,]*,|\"samples_per_sec\":[^,}]*", ""),
                Files.readString(split.resolve("history.jsonl")).replaceAll("\"seconds\":[^,]*,|\"samples_per_sec\":[^,}]*", ""));
        Map<String, Object> provenance = map(Checkpoint.load(split).config().get("provenance"));
        assertTrue(provenance.get("command_line").toString().contains("--epochs 3"), provenance.toString());
        assertTrue(provenance.get("command_line").toString().startsWith("descent train mnist --"), provenance.toString());
        assertTrue(provenance.get("resumed").toString().contains("--resume " + split), provenance.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void badOptionsAreOneLineErrorsWithExitCode2() {
        Run unknown = run("train", "--no-such-flag");
        assertEquals(2, unknown.status());
        assertTrue(unknown.lastErrorLine().contains("--no-such-flag") && unknown.lastErrorLine().contains("--help"),
                unknown.err());
        Run dropout = run("train", "--dropout", "1.5");
        assertEquals(2, dropout.status());
        assertEquals("descent: error: --dropout must be in [0, 1), got 1.5", dropout.err().strip());
        Run localSteps = run("train", "--local-steps", "4");
        assertEquals(2, localSteps.status());
        assertEquals("descent: error: --local-steps averages the models that the shares of a Spark cluster train;"
                + " add --spark MASTER, or leave --local-steps out", localSteps.err().strip());
        Run noSteps = run("train", "--local-steps", "0", "--spark", "local[2]");
        assertEquals(2, noSteps.status());
        assertEquals("descent: error: --local-steps must be 1 or more (1: synchronous steps), got 0", noSteps.err().strip());
        Run optimizer = run("train", "--data-dir", mnist.toString(), "--limit", "100", "--optimizer", "adma",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, optimizer.status());
        assertTrue(optimizer.lastErrorLine().contains("unknown optimizer 'adma'; choose one of: ")
                && optimizer.lastErrorLine().contains(" adam,"), optimizer.err());
        Run dataset = run("train", "cifar");
        assertEquals(2, dataset.status());
        assertTrue(dataset.lastErrorLine().contains("unknown data set 'cifar'"));
        Run noModel = run("eval", "--model", tmp.resolve("nothing").toString());
        assertEquals(2, noModel.status());
        assertTrue(noModel.lastErrorLine().contains("no checkpoint at"), noModel.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void corruptDataFailsCleanlyAndLeavesTheOldCheckpointAlone() throws IOException {
        Path out = tmp.resolve("kept");
        assertEquals(0, train(out, 1).status());
        byte[] before = Files.readAllBytes(out.resolve("model.safetensors"));

        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        for (String name : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(mnist.resolve(name), bad.resolve(name));
        }
        byte[] labels = Files.readAllBytes(mnist.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(bad.resolve("train-labels-idx1-ubyte.gz"), java.util.Arrays.copyOf(labels, labels.length / 2));
        Run run = run("train", "--data-dir", bad.toString(), "--out", out.toString(), "--overwrite");
        assertEquals(2, run.status());
        assertEquals(1, run.err().strip().split("\n").length, run.err());
        assertTrue(run.err().contains("train-labels-idx1-ubyte.gz"), run.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("model.safetensors")));

        Run missing = run("train", "--data-dir", tmp.resolve("empty").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.lastErrorLine().contains("does not hold the four MNIST files"), missing.err());
    }

    @Test
    void predictRejectsFilesThatAreNotImages() throws IOException {
        Path out = tmp.resolve("m");
        assertEquals(0, train(out, 1).status());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        Run run = run("predict", "--model", out.toString(), text.toString());
        assertEquals(2, run.status());
        assertTrue(run.lastErrorLine().contains("cannot read") && run.lastErrorLine().contains("PNG"), run.err());
    }

    @Test
    void helpAndListings() {
        Run help = run("train", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("--layers") && help.out().contains("--resume"));
        Run optimizers = run("optimizers");
        assertEquals(0, optimizers.status());
        for (String name : List.of("sgd", "momentum", "rmsprop", "adam")) {
            assertTrue(optimizers.out().contains(name), name);
        }
        Run rmsprop = run("optimizers", "rmsprop");
        assertEquals(0, rmsprop.status());
        assertTrue(rmsprop.out().contains("rmsprop   train lr 0.001") && rmsprop.out().contains("decay/alpha=0.9")
                && !rmsprop.out().contains("\nadam"), rmsprop.out());
        Run unknown = run("optimizers", "adma");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("descent: error: unknown optimizer 'adma'; choose one of: adabelief,"), unknown.err());
        Run info = run("info");
        assertEquals(0, info.status());
        // descent-cli does not depend on descent-openblas: the built-in kernel computes products
        assertTrue(info.out().contains("matmul  java (Gemm, packed "), info.out());
    }
}
