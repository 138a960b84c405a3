package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.io.Json;
import dev.descent.nn.Module;
import dev.descent.train.ConfusionMatrix;
import dev.descent.train.Diagnosis;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code descent train} shows after a run: the {@link Diagnosis} lines and the pictures in
 * the output folder ({@code loss}, {@code accuracy} and {@code confusion}, PNG and SVG).
 */
final class TrainReport {
    private TrainReport() {
    }

    static void printDiagnosis(PrintStream log, Diagnosis diagnosis) {
        diagnosis.lines().forEach(log::println);
    }

    /** Draws the curves from the history lines and the test set's confusion matrix into {@code out}. */
    static void writePlots(Path out, List<String> historyLines, int bestEpoch, Module network, Dataset test, int classes) {
        List<Map<String, Object>> history = historyLines.stream().map(Json::parseObject).toList();
        Plots.trainingCurves(history, bestEpoch, out);
        Plots.confusionMatrix(ConfusionMatrix.of(network, test, classes), out.resolve("confusion"));
    }
}
