package dev.descent.cli;

import dev.descent.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UCI 8×8 digits table (no header, gzip, label last): 3-fold cross-validated MLP accuracy. */
class DigitsCrossValidationTest {
    @Test
    void mlpCrossValidatesAbove96Percent() {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        Path digits = Path.of(root, "digits8x8", "digits.csv.gz");
        assertTrue(Files.isRegularFile(digits), "the digits table is needed at " + digits);
        CliTest.Run r = CliTest.run("train", digits.toString(), "--no-header", "--target", "65", "--cv", "3",
                "--epochs", "40", "--json");
        assertTrue(r.status() == 0, r.err());
        String[] lines = r.out().strip().split("\n");
        Map<String, Object> m = Json.parseObject(lines[lines.length - 1]);
        double accuracy = Json.toDouble(m.get("test_accuracy"));
        assertTrue(accuracy >= 0.96, "3-fold accuracy " + accuracy);
        assertTrue(Json.toDouble(m.get("baseline_accuracy")) < 0.12);
    }
}
