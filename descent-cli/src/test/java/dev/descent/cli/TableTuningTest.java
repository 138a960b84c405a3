package dev.descent.cli;

import dev.descent.cli.tune.Tuner;
import dev.descent.io.Json;
import dev.descent.train.Model;
import dev.descent.train.TableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tuning works on tables as on images: a table run reports validation scores, the algorithm (the
 * network or trees) is a dimension of the search, and the models that the command line trains on
 * a table load in the library, the network and the trees alike.
 */
class TableTuningTest {
    @TempDir
    Path tmp;

    private static Path digits() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        return Path.of(root, "digits8x8", "digits.csv.gz");
    }

    @Test
    void theAlgorithmIsASearchDimension() throws IOException {
        Path space = Files.writeString(tmp.resolve("space.json"), """
                {"algorithm": {"choice": ["mlp", "tree"]},
                 "lr": {"choice": [0.003], "when": {"algorithm": ["mlp"]}}}""");
        Path out = tmp.resolve("tune");
        CliTest.Run r = CliTest.run("tune", space.toString(), digits().toString(), "--train-args", "--no-header --target 65",
                "--strategy", "grid", "--epochs", "5", "--parallel", "2", "--out", out.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        List<Map<String, Object>> trials = Tuner.readLog(out.resolve("trials.jsonl"));
        assertEquals(2, trials.size(), r.err());
        Set<Object> algorithms = trials.stream().map(t -> TuneCommand.paramsOf(t).get("algorithm")).collect(Collectors.toSet());
        assertEquals(Set.of("mlp", "tree"), algorithms);
        for (Map<String, Object> t : trials) {
            assertTrue(Json.toDouble(t.get("val_accuracy")) > 0.5, t.toString());
        }
        Map<String, Object> summary = Json.parseObject(r.out().strip());
        assertTrue(Json.toDouble(summary.get("test_accuracy")) > 0.8, summary.toString());
        assertTrue(r.err().contains("[2/2, best "), r.err());
    }

    @Test
    void tableModelsTrainedByTheCommandLineLoadInTheLibrary() {
        for (String algorithm : List.of("mlp", "gbdt")) {
            Path run = tmp.resolve(algorithm);
            List<String> args = new java.util.ArrayList<>(List.of("train", digits().toString(), "--no-header", "--target", "65",
                    "--algorithm", algorithm, "--out", run.toString(), "--json", "--no-plots", "--limit", "600"));
            if (algorithm.equals("mlp")) {
                args.addAll(List.of("--epochs", "10"));
            }
            CliTest.Run trained = CliTest.run(args.toArray(String[]::new));
            assertEquals(0, trained.status(), trained.err());
            TableModel model = TableModel.load(run);
            assertEquals(10, model.classNames().size());
            if (algorithm.equals("mlp")) {
                assertEquals(64, Model.load(run).inputShape()[0]);
            }
        }
    }
}
