package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.ImageSet;
import dev.descent.data.table.TableReader;
import dev.descent.data.text.TextCorpus;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.loss.Loss;
import dev.descent.train.DataKind;
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
        description = {"Evaluate a saved model on the test set, on a table file that holds the target column, or (a character"
                + " model) on the validation part of its text or of the text file given.",
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
        if (!tableModel && checkpoint.config().containsKey("vocabulary")) {
            evaluateText(out, Model.fromCheckpoint(checkpoint), checkpoint);
            return;
        }
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

    /**
     * A character model on the validation part of the text it was trained on (its stored data
     * set and --limit), or of the text file given.
     */
    private void evaluateText(PrintWriter out, Model trained, Checkpoint checkpoint) {
        boolean given = data.dataset != null || data.datasetOption != null;
        Map<?, ?> stored = checkpoint.config().get("settings") instanceof Map<?, ?> m ? m : Map.of();
        String dataset = given ? data.dataset() : String.valueOf(stored.get("dataset"));
        if (DataKind.of(dataset) != DataKind.TEXT) {
            throw new DescentException("the model in " + model + " is a character model; give it a text file (.txt), not "
                    + dataset);
        }
        int limit = data.limit != null ? data.limit : given || !(stored.get("limit") instanceof Number n) ? 0 : n.intValue();
        Path file = TextCorpus.locate(dataset, System.getenv());
        Evaluation e = trained.evaluateText(TextCorpus.readText(file, limit));
        double bpc = Loss.bitsPerCharacter(e.loss());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("val_loss", e.loss());
        result.put("val_bpc", bpc);
        result.put("val_accuracy", e.accuracy());
        result.put("windows", e.count());
        print(out, result, String.format(Locale.ROOT, "validation %.4f bits per character, loss %.4f, next-character"
                + " accuracy %.2f%% on %,d windows of %s", bpc, e.loss(), 100 * e.accuracy(), e.count(), file));
    }

    private void print(PrintWriter out, Map<String, Object> result, String text) {
        out.println(json ? Json.write(result) : text);
    }
}
