package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.ImageSet;
import dev.descent.data.table.TableReader;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.train.Evaluation;
import dev.descent.train.Model;
import dev.descent.train.Report;
import dev.descent.train.TableExperiment;
import dev.descent.train.TableModel;
import dev.descent.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code descent eval}: the scores of a saved model on a test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a saved model on the test set, or on a table file that holds the target column.",
                "Example: descent eval --model runs/mnist"})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Run folder written by `descent train`.")
    Path model;

    @Option(names = "--json", description = "Print the results as one JSON line.")
    boolean json;

    @Option(names = "--no-header", description = "Tables: the file has no header row (default: as the training file).")
    Boolean noHeader;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Tables: cell separator (default: as the training file).")
    String delimiter;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint checkpoint = Checkpoint.load(model);
        boolean tableModel = TableModel.isTableModel(checkpoint);
        String dataset = data.dataset();
        if (TableReader.isTableFile(dataset) != tableModel) {
            throw new DescentException(tableModel
                    ? "the model in " + model + " was trained on a table; give it a table file with the target column"
                    : "the model in " + model + " was trained on images; give it an image data set (mnist, idx), not "
                    + dataset);
        }
        if (tableModel) {
            TableModel m = TableModel.load(model);
            Report report = m.evaluate(m.read(Path.of(dataset), noHeader, delimiter),
                    TrainingRun.warnings(System.err::println));
            Map<String, Object> result = new LinkedHashMap<>();
            report.metrics().forEach((k, v) -> result.put("test_" + k, v));
            result.put("examples", report.count());
            print(out, result, String.format(Locale.ROOT, "%s on %,d rows", TableExperiment.format(report.metrics()),
                    report.count()));
            return;
        }
        Model trained = Model.fromCheckpoint(checkpoint);
        Evaluation e = trained.evaluate(ImageSet.load(dataset, data.dataDir, data.limit == null ? 0 : data.limit).test());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("test_accuracy", e.accuracy());
        result.put("test_loss", e.loss());
        result.put("examples", e.count());
        print(out, result, String.format(Locale.ROOT, "test accuracy %.2f%%, loss %.4f on %,d examples",
                100 * e.accuracy(), e.loss(), e.count()));
    }

    private void print(PrintWriter out, Map<String, Object> result, String text) {
        out.println(json ? Json.write(result) : text);
    }
}
