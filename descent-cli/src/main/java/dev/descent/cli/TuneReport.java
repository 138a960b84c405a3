package dev.descent.cli;

import dev.descent.cli.tune.SearchSpace;
import dev.descent.cli.tune.Tuner;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.train.TableExperiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of {@code descent tune}: the trials ranked best first as {@code results.csv} and
 * {@code results.md} (with the final test result), and {@code tuning.png}/{@code .svg}, the score
 * of every trial against each hyperparameter.
 */
final class TuneReport {
    private static final List<String> FIGURES = List.of("epochs_run", "best_epoch", "val_accuracy", "val_loss", "seconds", "status");

    private TuneReport() {
    }

    static void write(Path out, SearchSpace space, List<Map<String, Object>> ranked, String metric, Tuner.Strategy strategy,
                      int jobs, Map<String, Object> result) {
        List<String> keys = space.varying().stream().map(SearchSpace.Parameter::name).toList();
        boolean rungs = strategy == Tuner.Strategy.HYPERBAND;
        List<String> header = new ArrayList<>(List.of("rank", "trial"));
        if (rungs) {
            header.add("rung");
        }
        header.addAll(keys);
        header.addAll(FIGURES);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Map<String, Object> r = ranked.get(i);
            Map<String, Object> params = TuneCommand.paramsOf(r);
            List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), cell(r.get("trial"))));
            if (rungs) {
                row.add(cell(r.get("rung")));
            }
            keys.forEach(k -> row.add(params.containsKey(k) ? cell(params.get(k)) : ""));
            for (String f : FIGURES) {
                Object v = r.get(f);
                row.add(v == null ? "" : f.equals("val_accuracy") ? String.format(Locale.ROOT, "%.2f%%", 100 * Json.toDouble(v))
                        : f.equals("val_loss") ? String.format(Locale.ROOT, "%.4f", Json.toDouble(v)) : cell(v));
            }
            rows.add(row);
        }
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        rows.forEach(row -> csv.append(String.join(",", row.stream().map(TuneReport::csvCell).toList())).append('\n'));
        AtomicFiles.writeString(out.resolve("results.csv"), csv.toString());

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s search, %d trials (%d jobs), ranked by %s.%n%n",
                strategy.name().toLowerCase(Locale.ROOT), ranked.size(), jobs, metric));
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append(" --- |".repeat(header.size())).append('\n');
        rows.forEach(row -> md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n"));
        if (result != null) {
            md.append(String.format(Locale.ROOT, "%nBest configuration (trial %s) trained on training + validation data%s: "
                            + "**%s**.%n", result.get("trial"), result.get("epochs") == null ? "" : " for " + result.get("epochs")
                            + " epochs", testScores(result)));
        }
        AtomicFiles.writeString(out.resolve("results.md"), md.toString());

        drawTuning(out.resolve("tuning"), space, ranked, metric);
    }

    /** "test accuracy 98.33%, test log_loss 0.0771" or "test rmse 1.2345": the final run's test scores. */
    static String testScores(Map<String, Object> result) {
        List<String> parts = new ArrayList<>();
        result.forEach((key, value) -> {
            if (key.startsWith("test_") && value instanceof Number n && parts.size() < 2 && !key.endsWith("_std")) {
                String metric = key.substring("test_".length());
                parts.add("test " + metric.replace('_', ' ') + " " + (TableExperiment.isShare(metric)
                        ? String.format(Locale.ROOT, "%.2f%%", 100 * n.doubleValue()) : String.format(Locale.ROOT, "%.4f", n.doubleValue())));
            }
        });
        return String.join(", ", parts);
    }

    /** {@code base.png}/{@code .svg}: the score of every successful trial against each varying hyperparameter. */
    static List<Path> drawTuning(Path base, SearchSpace space, List<Map<String, Object>> ranked, String metric) {
        List<Map<String, Object>> ok = ranked.stream().filter(r -> Double.isFinite(Tuner.score(r, metric))).toList();
        double scale = metric.equals("val_accuracy") ? 100 : 1;
        double[] scores = ok.stream().mapToDouble(r -> scale * Json.toDouble(r.get(metric))).toArray();
        return Plots.tuningScatter(ok.stream().map(TuneCommand::paramsOf).toList(), scores, space.varying(),
                metric.equals("val_accuracy") ? "validation accuracy (%)" : "validation loss", base);
    }

    private static String cell(Object v) {
        if (v instanceof Double d && d > 1 && d < 1e6) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (v instanceof Double d && d != Math.rint(d)) {
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return v == null ? "" : SearchSpace.text(v);
    }

    private static String csvCell(String c) {
        return c.contains(",") || c.contains("\"") ? "\"" + c.replace("\"", "\"\"") + "\"" : c;
    }
}
