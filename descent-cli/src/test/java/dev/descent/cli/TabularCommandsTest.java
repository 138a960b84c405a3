package dev.descent.cli;

import dev.descent.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train}, {@code compare}, {@code predict} and {@code eval} on small tables, run in-process. */
class TabularCommandsTest {
    @TempDir
    static Path tmp;
    private static Path people;

    /** 240 rows: label = good when 0.08·(age − 45) + (red: 1.2, else −0.5) + (member: 0.8) + noise > 0. */
    @BeforeAll
    static void writeTable() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("id,age,color,member,income,label,price\n");
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < 240; i++) {
            double age = rng.nextDouble(20, 70);
            String color = colors[rng.nextInt(3)];
            boolean member = rng.nextBoolean();
            String income = rng.nextDouble() < 0.1 ? "" : String.format(java.util.Locale.ROOT, "%.2f", 50 + 10 * rng.nextGaussian());
            double z = 0.08 * (age - 45) + (color.equals("red") ? 1.2 : -0.5) + (member ? 0.8 : 0) + 0.5 * rng.nextGaussian();
            double price = 3 * age + (color.equals("red") ? 20 : 0) + 5 * rng.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%d,%.1f,%s,%s,%s,%s,%.2f%n", i, age, color, member ? "yes" : "no",
                    income, z > 0 ? "good" : "bad", price));
        }
        people = tmp.resolve("people.csv");
        Files.writeString(people, sb);
    }

    private static Map<String, Object> lastJson(CliTest.Run r) {
        String[] lines = r.out().strip().split("\n");
        return Json.parseObject(lines[lines.length - 1]);
    }

    private static double number(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key), key + " missing from " + m.keySet());
        return Json.toDouble(m.get(key));
    }

    @Test
    void trainPredictAndEvalEveryAlgorithm() throws IOException {
        Path fresh = tmp.resolve("fresh.csv");
        Files.writeString(fresh, "color,income,id,member,age\npurple,,1000,yes,33\nred,55,1001,no,\ngreen,40,1002,,60\n");
        for (String algorithm : new String[] {"mlp", "tree", "gbdt"}) {
            Path out = tmp.resolve("model-" + algorithm);
            CliTest.Run train = CliTest.run("train", people.toString(), "--target", "label", "--ignore", "id,price",
                    "--algorithm", algorithm, "--out", out.toString(), "--json", "--threads", "1");
            assertEquals(0, train.status(), train.err());
            Map<String, Object> summary = lastJson(train);
            assertTrue(number(summary, "test_accuracy") > number(summary, "baseline_accuracy") + 0.1, algorithm + " " + summary);
            number(summary, "test_log_loss");
            number(summary, "test_roc_auc");
            number(summary, "baseline_log_loss");
            assertTrue(Files.isRegularFile(out.resolve("config.json")));

            CliTest.Run predict = CliTest.run("predict", "--model", out.toString(), fresh.toString(), "--id-column", "id");
            assertEquals(0, predict.status(), predict.err());
            String[] lines = predict.out().strip().split("\n");
            assertEquals("id,prediction,probability_bad,probability_good", lines[0]);
            assertEquals(4, lines.length);
            assertTrue(lines[1].startsWith("1000,"), lines[1]);
            String[] cells = lines[2].split(",");
            assertEquals(1.0, Double.parseDouble(cells[2]) + Double.parseDouble(cells[3]), 1e-5);
            assertTrue(predict.err().contains("column 'color': 1 row of fresh.csv has a category not seen in training ('purple')"),
                    predict.err());
            assertTrue(predict.err().contains("column 'age': 1 missing value"), predict.err());

            CliTest.Run eval = CliTest.run("eval", "--model", out.toString(), people.toString(), "--json");
            assertEquals(0, eval.status(), eval.err());
            assertTrue(number(lastJson(eval), "test_accuracy") > 0.75);
        }
    }

    @Test
    void regressionAndPredictionFile() {
        Path out = tmp.resolve("regression");
        CliTest.Run train = CliTest.run("train", people.toString(), "--target", "price", "--ignore", "id,label",
                "--out", out.toString(), "--json");
        assertEquals(0, train.status(), train.err());
        Map<String, Object> m = lastJson(train);
        assertEquals("regression", m.get("task"));
        assertTrue(number(m, "test_r2") > 0.9, m.toString());
        assertTrue(number(m, "test_rmse") < number(m, "baseline_rmse"));
        Path predictions = tmp.resolve("predictions.csv");
        CliTest.Run predict = CliTest.run("predict", "--model", out.toString(), people.toString(), "--output", predictions.toString());
        assertEquals(0, predict.status(), predict.err());
        assertTrue(Files.exists(predictions));
    }

    @Test
    void compareAndCrossValidationOnTheSameFolds() {
        CliTest.Run compare = CliTest.run("compare", people.toString(), "--target", "label", "--ignore", "id,price",
                "--cv", "3", "--json");
        assertEquals(0, compare.status(), compare.err());
        assertTrue(compare.out().contains("metric") && compare.out().contains("gbdt"), compare.out());
        Map<String, Object> m = lastJson(compare);
        for (String name : new String[] {"mlp", "tree", "gbdt"}) {
            assertTrue(number(m, name + "_accuracy") > number(m, "baseline_accuracy"), m.toString());
        }
        CliTest.Run cv = CliTest.run("train", people.toString(), "--target", "label", "--ignore", "id,price", "--cv", "3",
                "--json");
        assertEquals(0, cv.status(), cv.err());
        Map<String, Object> summary = lastJson(cv);
        assertEquals(3L, summary.get("cv"));
        // the same folds and the same MLP: train --cv reproduces compare's MLP column
        assertEquals(number(m, "mlp_accuracy"), number(summary, "test_accuracy"), 1e-12);
        number(summary, "test_accuracy_std");
    }

    @Test
    void badTablesGiveOneLineErrorsAndStatusTwo() throws IOException {
        Path ragged = write("ragged.csv", "a,b,y\n1,2,x\n3,y\n");
        Path empty = write("empty.csv", "");
        Path once = write("once.csv", "a,y\n1,p\n2,p\n3,q\n4,q\n5,r\n");
        StringBuilder typo = new StringBuilder("a,y\n");
        for (int i = 0; i < 30; i++) {
            typo.append(i == 12 ? "1O" : Integer.toString(i)).append(',').append(i % 2).append('\n');
        }
        Path numeric = write("typo.csv", typo.toString());
        expectError(CliTest.run("train", ragged.toString(), "--target", "y"), "ragged.csv row 2 (line 3) has 2 cells");
        expectError(CliTest.run("train", empty.toString(), "--target", "y"), "empty.csv is empty");
        expectError(CliTest.run("train", people.toString(), "--target", "nope"), "target column 'nope' is not in people.csv");
        expectError(CliTest.run("train", once.toString(), "--target", "y"),
                "once.csv row 5 (line 6), column 'y': class 'r' appears only once");
        expectError(CliTest.run("train", numeric.toString(), "--target", "y"),
                "typo.csv row 13 (line 14), column 'a': '1O' is not a number, but 29 of the column's 30 values are");
        expectError(CliTest.run("train", people.toString(), "--algorithm", "forest"),
                "--algorithm must be one of the algorithms (mlp, tree, gbdt), got \"forest\"");
    }

    private static Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static void expectError(CliTest.Run r, String expected) {
        assertEquals(2, r.status(), r.err());
        String line = r.lastErrorLine();
        assertTrue(line.startsWith("descent: error: ") && line.contains(expected), line);
    }
}
