package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.table.Target;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.train.Report;
import dev.descent.data.Task;
import dev.descent.train.TrainedModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code predict} and {@code eval} on table files with a model trained on a table: the new
 * file is encoded by the preprocessing stored in the checkpoint (columns found by name, unseen
 * categories and missing values warned about on standard error, never fatal), and the
 * predictions written as CSV ({@code prediction}, then one {@code probability_CLASS} column per
 * class), or scored against the file's target column.
 */
final class TabularPrediction {
    /** The options of {@code predict} for table files. */
    static final class Options {
        @Option(names = "--id-column", paramLabel = "COLUMN", description = "Tables: copy this column into the predictions, first.")
        String idColumn;

        @Option(names = "--output", paramLabel = "FILE", description = "Tables: write the predictions to this CSV file (default: standard output).")
        Path output;

        @Mixin
        CsvOptions csv = new CsvOptions();
    }

    /** A model trained on a table, as its checkpoint describes it. */
    record Loaded(Preprocessor preprocessor, TabularLearner.Fitted fitted, Boolean header) {
        Table read(CsvOptions csv, Path file) {
            return csv.read(file, header);
        }
    }

    private TabularPrediction() {
    }

    static Loaded load(Path dir) {
        Checkpoint checkpoint = Checkpoint.load(dir);
        Map<String, Object> config = checkpoint.config();
        if (!(config.get("table") instanceof Map<?, ?> table)) {
            throw new DescentException("the model in " + dir + " was not trained on a table; give it image files, or train"
                    + " one with `descent train FILE.csv --target COLUMN`");
        }
        @SuppressWarnings("unchecked")
        Preprocessor pre = Preprocessor.fromConfig((Map<String, Object>) table);
        String algorithm = (String) config.getOrDefault("algorithm", "mlp");
        TabularLearner.Fitted fitted = algorithm.equals("mlp")
                ? MlpLearner.load(TrainedModel.fromCheckpoint(checkpoint)) : TreeLearner.load(algorithm, dir, pre);
        return new Loaded(pre, fitted, config.get("csv_header") instanceof Boolean b ? b : null);
    }

    /** Writes the predictions for every row of each file. */
    static void predict(Path modelDir, List<Path> files, Options options, boolean json, PrintWriter stdout) {
        Loaded model = load(modelDir);
        Consumer<String> warnings = TabularTraining.warnings(System.err);
        StringBuilder csv = new StringBuilder();
        Target target = model.preprocessor().target();
        boolean classes = target.task() == Task.CLASSIFICATION;
        if (!json) {
            if (options.idColumn != null) {
                csv.append(cell(options.idColumn)).append(',');
            }
            csv.append("prediction");
            if (classes) {
                target.classes().forEach(c -> csv.append(',').append(cell("probability_" + c)));
            }
            csv.append('\n');
        }
        for (Path file : files) {
            Table table = model.read(options.csv, file);
            int idColumn = options.idColumn == null ? -1 : table.column(options.idColumn, "--id-column");
            double[][] predicted = model.fitted().predict(model.preprocessor().inputs(table, warnings));
            for (int r = 0; r < predicted.length; r++) {
                String id = idColumn < 0 ? null : table.cell(r, idColumn);
                String prediction = classes ? target.classes().get(argmax(predicted[r]))
                        : Double.toString(target.decode(predicted[r][0]));
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("input", file.getFileName() + "#" + (r + 1));
                    if (id != null || idColumn >= 0) {
                        m.put(options.idColumn, id);
                    }
                    m.put("prediction", prediction);
                    if (classes) {
                        Map<String, Object> p = new LinkedHashMap<>();
                        for (int k = 0; k < predicted[r].length; k++) {
                            p.put(target.classes().get(k), predicted[r][k]);
                        }
                        m.put("probabilities", p);
                    }
                    stdout.println(Json.write(m));
                    continue;
                }
                if (idColumn >= 0) {
                    csv.append(id == null ? "" : cell(id)).append(',');
                }
                csv.append(cell(prediction));
                if (classes) {
                    for (double p : predicted[r]) {
                        csv.append(String.format(Locale.ROOT, ",%.6f", p));
                    }
                }
                csv.append('\n');
            }
        }
        if (json) {
            return;
        }
        if (options.output != null) {
            AtomicFiles.writeString(options.output, csv.toString());
        } else {
            stdout.print(csv);
            stdout.flush();
        }
    }

    /** Scores the model on a table file that holds the target column. */
    static Report evaluate(Path modelDir, Path file, CsvOptions csv) {
        Loaded model = load(modelDir);
        Table table = model.read(csv, file);
        double[][] predicted = model.fitted().predict(model.preprocessor().inputs(table, TabularTraining.warnings(System.err)));
        return TabularExperiment.report(model.preprocessor(), predicted, table);
    }

    static void printEvaluation(Report report, boolean json, PrintWriter out) {
        int rows = report.count();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            report.metrics().forEach((k, v) -> m.put("test_" + k, v));
            m.put("examples", rows);
            out.println(Json.write(m));
        } else {
            out.printf(Locale.ROOT, "%s on %,d rows%n", TabularExperiment.format(report.metrics()), rows);
        }
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** A CSV cell, quoted when it holds a comma, a quote or a line break. */
    private static String cell(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
