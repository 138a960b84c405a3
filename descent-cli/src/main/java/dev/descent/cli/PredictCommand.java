package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Idx;
import dev.descent.data.ImageFiles;
import dev.descent.data.table.TableReader;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.Prediction;
import dev.descent.train.TableModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code descent predict}: the top classes, with probabilities, for images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a saved model: PNG/JPEG/GIF/BMP files, or an IDX image file;",
                "or predict every row of table files (.csv, .arff) with a model trained on a table, as CSV.",
                "Example: descent predict --model runs/mnist digit.png"})
final class PredictCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint folder written by `descent train`.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files, IDX image files (e.g. t10k-images-idx3-ubyte.gz), or table files.")
    List<Path> files;

    @Option(names = "--top", defaultValue = "3", description = "Number of classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--limit", defaultValue = "10", description = "Images to classify from each IDX file (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--invert", defaultValue = "auto",
            description = "Invert image colours: auto (when the background is light), yes, no (default: ${DEFAULT-VALUE}).")
    String invert;

    @Option(names = "--json", description = "One JSON line per image (or table row).")
    boolean json;

    @Mixin
    TabularPrediction.Options table = new TabularPrediction.Options();

    @Override
    public void run() {
        if (top < 1 || limit < 1) {
            throw new DescentException("--top and --limit must be at least 1");
        }
        if (!List.of("auto", "yes", "no").contains(invert)) {
            throw new DescentException("--invert must be auto, yes or no, got '" + invert + "'");
        }
        Checkpoint checkpoint = Checkpoint.load(model);
        boolean tables = files.stream().allMatch(f -> TableReader.isTableFile(f.getFileName().toString()));
        if (tables != TableModel.isTableModel(checkpoint)) {
            throw new DescentException(tables ? "the model in " + model + " was trained on images; give it image files"
                    + " (PNG, JPEG, GIF, BMP) or an IDX image file" : "the model in " + model + " was trained on a table;"
                    + " give it table files (.csv, .tsv, .arff)");
        }
        if (tables) {
            for (String imageOnly : List.of("--top", "--limit", "--invert")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(imageOnly)) {
                    throw new DescentException(imageOnly + " applies to images only; leave it out for table files");
                }
            }
            TabularPrediction.predict(model, files, table, json, spec.commandLine().getOut());
            return;
        }
        table.refuseWithImages();
        Model trained = Model.fromCheckpoint(checkpoint);
        if (trained.vocabulary() != null) {
            throw new DescentException("the model in " + model + " is a character model; write text with it: descent"
                    + " generate --model " + model + " --prompt TEXT");
        }
        int[] shape = trained.inputShape();
        PrintWriter out = spec.commandLine().getOut();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new DescentException("no such file: " + file + "; check the path");
            }
            List<String> names = new ArrayList<>();
            Tensor images = isIdx(file) ? idxImages(file, shape, names) : image(file, shape, names);
            Prediction prediction = trained.predict(images);
            for (int i = 0; i < names.size(); i++) {
                print(out, names.get(i), prediction, i);
            }
        }
    }

    private static boolean isIdx(Path file) {
        String name = file.getFileName().toString();
        return name.contains("idx") || name.contains("ubyte");
    }

    private Tensor idxImages(Path file, int[] shape, List<String> names) {
        Idx.IdxArray array = Idx.read(file, limit);
        int[] dims = array.dims();
        int n = Math.min(limit, dims[0]);
        int[] expected = new int[shape.length + 1];
        expected[0] = dims[0];
        System.arraycopy(shape, 0, expected, 1, shape.length);
        int per = 1;
        for (int d : shape) {
            per *= d;
        }
        if (array.count() / Math.max(1, dims[0]) != per) {
            throw new DescentException(file + " holds images of shape " + Arrays.toString(Arrays.copyOfRange(dims, 1, dims.length))
                    + " but the model wants " + Arrays.toString(shape) + "; give images of the size the model was trained on");
        }
        float[] values = array.toFloatArray();
        float[] pixels = new float[n * per];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = values[i] / 255f;
        }
        for (int i = 0; i < n; i++) {
            names.add(file.getFileName() + "#" + i);
        }
        int[] batch = expected.clone();
        batch[0] = n;
        return Tensor.wrap(pixels, batch);
    }

    /** One image file as a batch of one input of the model's {@code shape}: [H, W], or [1, H, W] (one gray channel). */
    private Tensor image(Path file, int[] shape, List<String> names) {
        if (shape.length < 2 || Arrays.stream(shape, 0, shape.length - 2).anyMatch(d -> d != 1)) {
            throw new DescentException("the model in " + model + " takes inputs of shape " + Arrays.toString(shape)
                    + ", not gray images; give it an IDX file of such inputs");
        }
        Tensor pixels = ImageFiles.read(file, shape[shape.length - 2], shape[shape.length - 1],
                ImageFiles.Invert.valueOf(invert.toUpperCase(Locale.ROOT)));
        names.add(file.getFileName().toString());
        int[] batch = new int[shape.length + 1];
        batch[0] = 1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        return pixels.reshape(batch);
    }

    private void print(PrintWriter out, String name, Prediction prediction, int row) {
        int[] order = prediction.ranking(row);
        float[] p = prediction.probabilities()[row];
        int k = Math.min(top, order.length);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", name);
            List<Object> best = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("class", prediction.classNames().get(order[i]));
                entry.put("probability", (double) p[order[i]]);
                best.add(entry);
            }
            m.put("top", best);
            out.println(Json.write(m));
            return;
        }
        StringBuilder line = new StringBuilder(name).append(':');
        for (int i = 0; i < k; i++) {
            line.append(String.format(Locale.ROOT, "  %s (%.1f%%)", prediction.classNames().get(order[i]), 100 * p[order[i]]));
        }
        out.println(line);
    }
}
