package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.cli.tune.SearchSpace;
import dev.descent.cli.tune.Tuner;
import dev.descent.io.Json;
import dev.descent.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code descent plot}: redraws the pictures of a run from its files: the loss and accuracy curves
 * from a {@code history.jsonl} (the kept epoch from the folder's {@code config.json}), or the tuning
 * picture from a {@code descent tune} folder.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Redraw the pictures of a run: loss and accuracy per epoch from a checkpoint folder or its history.jsonl,",
                "or the score against each hyperparameter from a `descent tune` folder. PNG and SVG.",
                "Example: descent plot runs/mnist"})
final class PlotCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint folder, a history.jsonl file or a descent tune folder.")
    Path path;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the pictures (default: the run's folder).")
    Path out;

    @Option(names = "--overwrite", description = "Replace pictures of the same names in --out.")
    boolean overwrite;

    @Override
    public void run() {
        if (!Files.exists(path)) {
            throw new DescentException(path + " does not exist; give a checkpoint folder, a history.jsonl or a descent tune folder");
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Path target = out == null ? dir : out;
        boolean tuning = Files.isDirectory(path) && Files.exists(path.resolve("trials.jsonl")) && Files.exists(path.resolve("tune.json"));
        if (out != null) { // Descent's own folder gets its pictures redrawn; elsewhere nothing is replaced unasked
            OutputFiles.check((tuning ? Stream.of("tuning") : Stream.of("loss", "accuracy"))
                    .flatMap(name -> Stream.of(name + ".png", name + ".svg")).map(out::resolve).toList(), overwrite);
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new DescentException("cannot create " + target + " (" + e.getMessage() + ")");
        }
        List<Path> written;
        if (tuning) {
            written = tuning(path, target);
        } else {
            Path history = Files.isDirectory(path) ? path.resolve(TrainingRun.HISTORY_FILE) : path;
            if (!Files.exists(history)) {
                throw new DescentException(path + " holds no " + TrainingRun.HISTORY_FILE + " or trials.jsonl; give a folder written by descent train or tune");
            }
            List<Map<String, Object>> lines = read(history).lines().filter(l -> !l.isBlank()).map(Json::parseObject).toList();
            if (lines.isEmpty()) {
                throw new DescentException(history + " is empty; train at least one epoch");
            }
            written = Plots.trainingCurves(lines, keptEpoch(dir.resolve("config.json")), target);
        }
        written.forEach(p -> System.err.println("wrote " + p));
    }

    private static List<Path> tuning(Path dir, Path target) {
        Map<String, Object> search = Json.parseObject(read(dir.resolve("tune.json")));
        SearchSpace space = SearchSpace.parse(Json.write(search.get("space")));
        String metric = (String) search.get("metric");
        return TuneReport.drawTuning(target.resolve("tuning"), space,
                Tuner.ranked(Tuner.readLog(dir.resolve("trials.jsonl")), metric), metric);
    }

    /** The epoch whose weights early stopping kept, from config.json's metrics (0 if unknown). */
    private static int keptEpoch(Path config) {
        if (!Files.exists(config)) {
            return 0;
        }
        Object metrics = Json.parseObject(read(config)).get("metrics");
        return metrics instanceof Map<?, ?> m && m.get("best_epoch") != null ? (int) Json.toDouble(m.get("best_epoch")) : 0;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
