package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.io.Checkpoint;
import dev.descent.io.Json;
import dev.descent.nn.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code descent summary}: the layers of a model specification or checkpoint, with output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print a model's layers with their output shapes (per example) and parameter counts.",
                "Examples: descent summary --model cnn    descent summary runs/mnist"})
final class SummaryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "A checkpoint folder written by `descent train`.")
    Path checkpoint;

    @Option(names = "--model", paramLabel = "SPEC", description = "A model specification or preset (mlp, lenet5, cnn).")
    String model;

    @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W", defaultValue = "1,28,28",
            description = "Shape of one example for --model (default: ${DEFAULT-VALUE}, MNIST).")
    int[] inputShape;

    @Override
    public void run() {
        if ((checkpoint == null) == (model == null)) {
            throw new DescentException("give either a checkpoint folder or --model SPEC, like `descent summary --model cnn`");
        }
        ModelSpec modelSpec;
        int[] shape = inputShape;
        if (checkpoint != null) {
            Checkpoint c = Checkpoint.load(checkpoint);
            if (!(c.config().get("model") instanceof String text) || c.config().get("input_shape") == null) {
                throw new DescentException("the checkpoint's config.json has no \"model\" and \"input_shape\"; re-train with"
                        + " `descent train --out " + checkpoint + "`");
            }
            modelSpec = ModelSpec.parse(text);
            shape = Json.toIntArray(c.config().get("input_shape"));
        } else {
            modelSpec = ModelSpec.parse(model);
        }
        print(spec.commandLine().getOut(), modelSpec, shape);
    }

    static void print(PrintWriter out, ModelSpec modelSpec, int[] shape) {
        List<ModelSpec.Row> rows = modelSpec.summary(shape);
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int layerWidth = Math.max(5, rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
        int shapeWidth = Math.max(12, rows.stream().mapToInt(r -> r.outputShape().toString().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s  %-" + layerWidth + "s  %-" + shapeWidth + "s  %,12d%n";
        out.println(modelSpec);
        out.printf(Locale.ROOT, "%-" + nameWidth + "s  %-" + layerWidth + "s  %-" + shapeWidth + "s  %12s%n",
                "layer", "token", "output shape", "parameters");
        out.printf(Locale.ROOT, format, "input", "", Arrays.toString(shape), 0L);
        long total = 0;
        for (ModelSpec.Row r : rows) {
            out.printf(Locale.ROOT, format, r.name(), r.layer(), r.outputShape(), r.parameters());
            total += r.parameters();
        }
        out.printf(Locale.ROOT, "total parameters: %,d%n", total);
    }
}
