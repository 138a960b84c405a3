package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.ImageSet;
import dev.descent.io.Json;
import dev.descent.train.Model;
import dev.descent.train.Prediction;
import dev.descent.train.TableModel;
import dev.descent.train.TrainingSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One pipeline, two front doors: every kind of model the command line trains loads in the library
 * and predicts the same there, and a model a Java program trains and saves works with
 * {@code descent eval} and {@code predict}.
 */
class LibraryInteropTest {
    private static Path mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findData() {
        mnist = CliTest.mnistFolder();
    }

    @Test
    void imageModelsOfTheCommandLineLoadInTheLibrary() {
        ImageSet data = ImageSet.load("mnist", mnist, 500);
        for (String spec : new String[] {"flatten dense(32) relu dense(10)",
                "conv(4,3) batchnorm relu maxpool(2) conv(8,3,padding=same) relu gap dense(10)"}) {
            Path run = tmp.resolve(spec.startsWith("conv") ? "cnn" : "mlp");
            CliTest.Run trained = CliTest.run("train", "--data-dir", mnist.toString(), "--limit", "500", "--model", spec,
                    "--epochs", "1", "--out", run.toString(), "--no-plots", "--json");
            assertEquals(0, trained.status(), trained.err());
            Model model = Model.load(run);
            double accuracy = model.evaluate(data.test()).accuracy();
            assertEquals(Json.toDouble(Json.parseObject(trained.out().strip()).get("test_accuracy")), accuracy, 1e-9, spec);
            CliTest.Run predicted = CliTest.run("predict", "--model", run.toString(), mnist.resolve("t10k-images-idx3-ubyte.gz")
                    .toString(), "--limit", "1", "--top", "1", "--json");
            Prediction p = model.predict(data.test().inputs().slice(0, 0, 1));
            Map<String, Object> top = CliTest.map(((java.util.List<?>) Json.parseObject(predicted.out().strip()).get("top")).get(0));
            assertEquals(p.className(0), top.get("class"));
        }
    }

    /** The bug of issue 14: a table model with batch normalization trained and saved, then failed to load. */
    @Test
    void aTableNetworkWithBatchNormalizationReloads() throws IOException {
        String root = System.getProperty("descent.data", System.getenv("DESCENT_DATA"));
        Path digits = Path.of(root, "digits8x8", "digits.csv.gz");
        Path run = tmp.resolve("bn");
        CliTest.Run trained = CliTest.run("train", digits.toString(), "--no-header", "--target", "last", "--model",
                "dense(64) batchnorm relu dense(10)", "--epochs", "5", "--out", run.toString(), "--no-plots");
        assertEquals(0, trained.status(), trained.err());
        CliTest.Run eval = CliTest.run("eval", "--model", run.toString(), digits.toString(), "--json");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(Json.toDouble(Json.parseObject(eval.out().strip()).get("test_accuracy")) > 0.9, eval.out());
        CliTest.Run predicted = CliTest.run("predict", "--model", run.toString(), digits.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertEquals(1798, predicted.out().strip().split("\n").length); // the header and 1,797 rows
        assertTrue(Model.load(run).network().namedBuffers().containsKey("bn1.running_mean"));
        assertEquals(10, TableModel.load(run).classNames().size());
    }

    @Test
    void aModelTrainedInJavaWorksWithTheCommandLine() {
        ImageSet data = ImageSet.load("mnist", mnist, 1000);
        Model model = Model.classifier("flatten dense(32) relu dense(10)");
        model.fit(data.train(), TrainingSettings.defaults().epochs(2).batchSize(64));
        Path saved = tmp.resolve("java");
        model.save(saved);
        CliTest.Run eval = CliTest.run("eval", "--model", saved.toString(), "--data-dir", mnist.toString(), "--limit", "1000",
                "--json");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(model.evaluate(data.test()).accuracy(),
                Json.toDouble(Json.parseObject(eval.out().strip()).get("test_accuracy")), 1e-9);
        Dataset first = data.test().slice(0, 3);
        assertArrayEquals(model.predict(first.inputs()).classes(), Model.load(saved).predict(first.inputs()).classes());
    }
}
