package dev.descent.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.descent.DescentException;
import dev.descent.onnx.CheckpointAdapter;
import dev.descent.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code descent export}: a saved model as an ONNX file that takes raw inputs, for ONNX Runtime and other engines. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a saved model in another format: ONNX (opset " + OnnxExporter.OPSET + "), with the model's"
                + " normalization or table preprocessing inside the graph, so it takes the raw inputs `descent predict` takes.",
                "Example: descent export --model runs/mnist --format onnx --out mnist.onnx"})
final class ExportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint folder written by `descent train`.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "Output format: onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write, like model.onnx.")
    Path out;

    @Option(names = "--overwrite", description = "Replace --out when it is an ONNX model Descent wrote (never another file).")
    boolean overwrite;

    @Override
    public void run() {
        if (!format.equals("onnx")) {
            throw new DescentException("unknown --format '" + format + "'; the one format is onnx");
        }
        ModelProto onnx = OnnxExporter.export(CheckpointAdapter.read(model), Version.VERSION);
        OnnxExporter.write(onnx, out, overwrite);
        spec.commandLine().getOut().printf("wrote %s: inputs %s; output %s%n", out, describe(onnx.getGraph().getInputList()),
                describe(onnx.getGraph().getOutputList()));
    }

    /** {@code pixels [N, 1, 28, 28]}, one per input or output. */
    private static String describe(List<ValueInfoProto> values) {
        return values.stream().map(v -> v.getName() + " " + v.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam())
                .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining(", "));
    }
}
