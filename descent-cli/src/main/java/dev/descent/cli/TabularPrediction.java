package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.table.Table;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.train.Prediction;
import dev.descent.train.TableModel;
import dev.descent.train.TrainingRun;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code predict} on table files with a model trained on a table ({@link TableModel}): the
 * predictions written as CSV ({@code prediction}, then one {@code probability_CLASS} column per
 * class) or JSON lines.
 */
final class TabularPrediction {
    /** The options of {@code predict} for table files. */
    static final class Options {
        @Option(names = "--id-column", paramLabel = "COLUMN", description = "Tables: copy this column into the predictions, first.")
        String idColumn;

        @Option(names = "--output", paramLabel = "FILE", description = "Tables: write the predictions to this CSV file (default: standard output).")
        Path output;

        @Option(names = "--overwrite", description = "Tables: replace the --output file if it exists.")
        boolean overwrite;

        @Option(names = "--no-header", description = "Tables: the files have no header row (default: as the training file).")
        Boolean noHeader;

        @Option(names = "--delimiter", paramLabel = "CHAR", description = "Tables: cell separator (default: as the training file).")
        String delimiter;

        /** Refuses the table-only options when the inputs are images. */
        void refuseWithImages() {
            if (idColumn != null || output != null || overwrite || noHeader != null || delimiter != null) {
                throw new DescentException("--id-column, --output, --overwrite, --no-header and --delimiter apply to table"
                        + " files only; leave them out for images");
            }
        }
    }

    private TabularPrediction() {
    }

    /** Writes the predictions for every row of each file. */
    static void predict(Path modelDir, List<Path> files, Options options, boolean json, PrintWriter stdout) {
        if (options.output != null) {
            OutputFiles.check(options.output, options.overwrite);
        }
        TableModel model = TableModel.load(modelDir);
        Consumer<String> warnings = TrainingRun.warnings(System.err::println);
        StringBuilder csv = new StringBuilder();
        boolean classes = !model.classNames().isEmpty() && model.task() == dev.descent.data.Task.CLASSIFICATION;
        if (!json) {
            if (options.idColumn != null) {
                csv.append(cell(options.idColumn)).append(',');
            }
            csv.append("prediction");
            if (classes) {
                model.classNames().forEach(c -> csv.append(',').append(cell("probability_" + c)));
            }
            csv.append('\n');
        }
        for (Path file : files) {
            Table table = model.read(file, options.noHeader, options.delimiter);
            int idColumn = options.idColumn == null ? -1 : table.column(options.idColumn, "--id-column");
            Prediction p = model.predict(table, warnings);
            for (int r = 0; r < p.size(); r++) {
                String id = idColumn < 0 ? null : table.cell(r, idColumn);
                String prediction = classes ? p.className(r) : Double.toString(p.values()[r]);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("input", file.getFileName() + "#" + (r + 1));
                    if (idColumn >= 0) {
                        m.put(options.idColumn, id);
                    }
                    m.put("prediction", prediction);
                    if (classes) {
                        Map<String, Object> probabilities = new LinkedHashMap<>();
                        for (int k = 0; k < p.classNames().size(); k++) {
                            probabilities.put(p.classNames().get(k), (double) p.probabilities()[r][k]);
                        }
                        m.put("probabilities", probabilities);
                    }
                    stdout.println(Json.write(m));
                    continue;
                }
                if (idColumn >= 0) {
                    csv.append(id == null ? "" : cell(id)).append(',');
                }
                csv.append(cell(prediction));
                if (classes) {
                    for (float v : p.probabilities()[r]) {
                        csv.append(String.format(Locale.ROOT, ",%.6f", v));
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

    /** A CSV cell, quoted when it holds a comma, a quote or a line break. */
    private static String cell(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
