package dev.descent.cli;

import dev.descent.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Character models on the command line: {@code train FILE.txt}, {@code eval}, {@code generate} and their errors. */
class TextCliTest {
    private static final String TEXT = "the cat sat on the mat. the dog sat on the log.\n".repeat(40);

    @TempDir
    static Path tmp;
    private static Path text;
    private static Path run;
    private static Map<String, Object> trained;
    private static String log;

    @BeforeAll
    static void train() throws IOException {
        text = Files.writeString(tmp.resolve("cats.txt"), TEXT);
        run = tmp.resolve("run");
        CliTest.Run r = CliTest.run("train", text.toString(), "--seq-len", "20", "--batch-size", "8", "--max-steps", "60",
                "--out", run.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        trained = Json.parseObject(r.out().strip());
        log = r.err();
    }

    @Test
    void trainingReportsBitsPerCharacterEachEpochAndDrawsTheirCurve() throws IOException {
        assertTrue(log.contains("val_bpc "), log);
        assertTrue(((Number) trained.get("val_bpc")).doubleValue() < 0.5 * ((Number) trained.get("baseline_bpc")).doubleValue(),
                trained.toString());
        assertTrue(Files.readString(run.resolve("history.jsonl")).contains("\"val_bpc\""));
        assertTrue(Files.exists(run.resolve("bpc.png")), "the bits-per-character curve");
        Map<String, Object> config = Json.parseObject(Files.readString(run.resolve("config.json")));
        assertTrue(config.get("vocabulary") instanceof Map<?, ?>, config.toString());
        assertEquals(20.0, Json.toDouble(CliTest.map(config.get("settings")).get("seq_len")), 0);
    }

    @Test
    void evalReportsTheValidationBitsPerCharacterOfTheTrainingText() {
        CliTest.Run eval = CliTest.run("eval", "--model", run.toString(), "--json");
        assertEquals(0, eval.status(), eval.err());
        Map<String, Object> result = Json.parseObject(eval.out().strip());
        assertEquals(((Number) trained.get("val_bpc")).doubleValue(), Json.toDouble(result.get("val_bpc")), 1e-6);
        CliTest.Run other = CliTest.run("eval", "--model", run.toString(), "--data", text.toString());
        assertEquals(0, other.status(), other.err());
        assertTrue(other.out().contains("bits per character"), other.out());
    }

    @Test
    void generateIsDeterministicPerSeed() {
        CliTest.Run a = CliTest.run("generate", "--model", run.toString(), "--prompt", "the ", "--length", "50", "--seed", "1");
        CliTest.Run b = CliTest.run("generate", "--model", run.toString(), "--prompt", "the ", "--length", "50", "--seed", "1");
        CliTest.Run c = CliTest.run("generate", "--model", run.toString(), "--prompt", "the ", "--length", "50", "--seed", "2");
        assertEquals(0, a.status(), a.err());
        assertTrue(a.out().startsWith("the ") && a.out().strip().length() >= 40, a.out());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
    }

    @Test
    void mistakesAreOneLineErrors() throws IOException {
        Path images = tmp.resolve("images");
        CliTest.Run mnist = CliTest.run("train", "mnist", "--data-dir", CliTest.mnistFolder().toString(), "--limit", "200",
                "--layers", "8", "--epochs", "1", "--no-plots", "--out", images.toString());
        assertEquals(0, mnist.status(), mnist.err());
        String model = run.toString();
        Map<List<String>, String> cases = Map.of(
                List.of("generate", "--model", images.toString(), "--prompt", "the"), "was not trained on text",
                List.of("generate", "--model", model, "--prompt", "the Zoo#"), "the characters 'Z', '#' are not in the model's vocabulary",
                List.of("generate", "--model", model, "--prompt", "the", "--length", "0"), "at least 1 character",
                List.of("generate", "--model", model, "--prompt", "the", "--temperature", "-0.5"), "the temperature must be 0",
                List.of("eval", "--model", model, "mnist"), "is a character model; give it a text file",
                List.of("train", text.toString(), "--layers", "32"), "--layers does not apply to text",
                List.of("train", text.toString(), "--seq-len", "0"), "--seq-len must be from 1");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            CliTest.Run r = CliTest.run(c.getKey().toArray(String[]::new));
            assertEquals(2, r.status(), c.getKey() + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.lastErrorLine().startsWith("descent: error: ") && r.lastErrorLine().contains(c.getValue()),
                    c.getKey() + ": " + r.err());
        }
    }

    @Test
    void aTextRunKeepsTheOutputFolderRules() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(folder.resolve("cat.jpg"), "meow");
        Map<String, String> before = SafetyTest.hashes(folder);
        CliTest.Run r = CliTest.run("train", text.toString(), "--max-steps", "1", "--out", folder.toString(), "--overwrite");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.lastErrorLine().contains("holds files Descent did not write (cat.jpg)"), r.err());
        assertEquals(before, SafetyTest.hashes(folder));
        CliTest.Run again = CliTest.run("train", text.toString(), "--max-steps", "1", "--out", run.toString());
        assertTrue(again.lastErrorLine().contains("already holds a Descent run; continue it with --resume"), again.err());
    }
}
