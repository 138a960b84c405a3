package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.table.TableReader;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.train.Evaluation;
import dev.descent.train.Report;
import dev.descent.train.TrainedModel;
import dev.descent.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code descent eval}: the loss and accuracy of a saved model on the test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a saved model on the test set, or on a table file that holds the target column.",
                "Example: descent eval --model runs/mnist"})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint folder written by `descent train`.")
    Path model;

    @Option(names = "--json", description = "Print the results as one JSON line.")
    boolean json;

    @Mixin
    CsvOptions csv = new CsvOptions();

    @Override
    public void run() {
        if (TableReader.isTableFile(data.dataset)) {
            Report report = TabularPrediction.evaluate(model, Path.of(data.dataset), csv);
            TabularPrediction.printEvaluation(report, json, spec.commandLine().getOut());
            return;
        }
        TrainedModel trained = TrainedModel.fromCheckpoint(Checkpoint.load(model));
        Dataset test = data.load().test();
        Dataset normalized = new Dataset(trained.normalize(test.inputs()), test.targets());
        Evaluation e = Trainer.evaluate(trained.network(), Loss.softmaxCrossEntropy(), trained.task(), normalized);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test_accuracy", e.accuracy());
            m.put("test_loss", e.loss());
            m.put("examples", e.count());
            spec.commandLine().getOut().println(Json.write(m));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT, "test accuracy %.2f%%, loss %.4f on %,d examples%n",
                    100 * e.accuracy(), e.loss(), e.count());
        }
    }
}
