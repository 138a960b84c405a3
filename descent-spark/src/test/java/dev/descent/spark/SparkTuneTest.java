package dev.descent.spark;

import dev.descent.cli.Main;
import dev.descent.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code descent tune --spark local[2]}: trials run as Spark tasks, two at a time, with the scores
 * of the same trials run as child JVMs, into the same results folder; run again, it resumes.
 */
class SparkTuneTest {
    @Test
    void trialsRunAsSparkTasksWithTheScoresOfLocalTrials(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("blobs.csv");
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 300; i++) {
            int y = rng.nextInt(3);
            for (int j = 0; j < 4; j++) {
                csv.append(String.format(java.util.Locale.ROOT, "%.4f,", rng.nextGaussian() + (j == y ? 1.5 : 0)));
            }
            csv.append("c").append(y).append('\n');
        }
        Files.writeString(table, csv);
        Path space = dir.resolve("space.json");
        Files.writeString(space, "{\"lr\": {\"log_uniform\": [1e-3, 1e-1]}, \"layers\": {\"choice\": [\"8\", \"16\"]}}");
        List<String> common = List.of("tune", space.toString(), table.toString(), "--strategy", "random",
                "--trials", "3", "--epochs", "2", "--no-final", "--quiet", "--parallel", "2");

        Path onSpark = dir.resolve("spark"), inJvms = dir.resolve("jvms");
        assertEquals(0, descent(common, "--spark", "local[2]", "--out", onSpark.toString()));
        assertEquals(0, descent(common, "--out", inJvms.toString()));

        List<Map<String, Object>> spark = trials(onSpark), jvms = trials(inJvms);
        assertEquals(3, spark.size());
        for (Map<String, Object> t : spark) {
            assertEquals("ok", t.get("status"), t.toString());
            Map<String, Object> same = jvms.stream().filter(j -> j.get("trial").equals(t.get("trial"))).findFirst().orElseThrow();
            assertEquals(same.get("params"), t.get("params"));
            assertEquals(Json.toDouble(same.get("val_loss")), Json.toDouble(t.get("val_loss")), 1e-9, "trial " + t.get("trial"));
        }
        assertTrue(Files.exists(onSpark.resolve("results.md")));

        assertEquals(0, descent(common, "--spark", "local[2]", "--out", onSpark.toString()));
        assertEquals(3, trials(onSpark).size(), "run again, the search is done: no trial runs twice");
    }

    private static int descent(List<String> args, String... more) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of(more));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), all.toArray(String[]::new));
        if (status != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return status;
    }

    private static List<Map<String, Object>> trials(Path out) throws IOException {
        return Files.readAllLines(out.resolve("trials.jsonl")).stream().filter(l -> !l.isBlank()).map(Json::parseObject).toList();
    }
}
