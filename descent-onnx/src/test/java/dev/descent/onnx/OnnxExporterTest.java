package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.descent.DescentException;
import dev.descent.nn.ModelSpec;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Tensor;
import dev.descent.data.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an exported model says about itself, and how a file is written (or refused). */
class OnnxExporterTest {
    @TempDir
    Path tmp;

    private static ExportableModel digits(String spec) {
        ModelSpec s = ModelSpec.parse(spec);
        return ExportableModel.arrays(s.toString(), s.build(new int[] {1, 8, 8}, new SplittableRandom(1)), new int[] {1, 8, 8},
                true, null, Task.CLASSIFICATION, IntStream.range(0, 10).mapToObj(Integer::toString).toList());
    }

    @Test
    void modelCarriesOpsetNamesClassesVersionAndSpecification() {
        ModelProto proto = OnnxExporter.export(digits("flatten dense(16) relu dense(10)"), "9.9.9");
        assertEquals(OnnxExporter.IR_VERSION, proto.getIrVersion());
        assertEquals(1, proto.getOpsetImportCount()); // no ONNX-ML operators in an image model
        assertEquals(OnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
        assertEquals("", proto.getOpsetImport(0).getDomain());
        assertEquals("Descent", proto.getProducerName());
        assertEquals("9.9.9", proto.getProducerVersion());
        assertEquals("flatten dense(16) relu dense(10)", proto.getDocString());
        Map<String, String> metadata = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals(Map.of("descent_version", "9.9.9", "task", "classification",
                "classes", "[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]"), metadata);
        assertEquals("pixels", proto.getGraph().getInput(0).getName());
        assertEquals("N", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(8, proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(3).getDimValue());
        assertEquals("probabilities", proto.getGraph().getOutput(0).getName());
        assertEquals(10, proto.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        // the fused dense+ReLU of Sequential is a plain Gemm and Relu
        assertArrayEquals(new String[] {"Div", "Flatten", "Gemm", "Relu", "Gemm", "Softmax"},
                proto.getGraph().getNodeList().stream().map(n -> n.getOpType()).toArray(String[]::new));
    }

    /** A layer the exporter has no case for (a stand-in for a layer added later). */
    private static final class Doubling extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.mul(2);
        }

        @Override
        public String toString() {
            return "Doubling";
        }
    }

    @Test
    void unknownLayerIsRefusedByName() {
        Sequential net = new Sequential().add("flat", new dev.descent.nn.Flatten()).add("twice", new Doubling());
        ExportableModel m = ExportableModel.arrays("custom", net, new int[] {1, 8, 8}, true, null, Task.REGRESSION, List.of());
        DescentException e = assertThrows(DescentException.class, () -> OnnxExporter.export(m, "test"));
        assertTrue(e.getMessage().startsWith("layer 'twice' (Doubling) has no ONNX translation yet"), e.getMessage());
    }

    /** The shape [symbolic..., fixed...] of a graph input or output, a free axis by its name. */
    private static List<String> shape(ai.onnx.proto.OnnxMl.ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam()).toList();
    }

    @Test
    void tokenModelTakesInt64IdsOfAnyLengthAndAnswersEveryStep() {
        ModelSpec s = ModelSpec.parse("embedding(5,3) gru(4,seq=true,layers=2,bidirectional=true) dense(5)");
        List<String> characters = List.of("a", "b", "c", "d", "é");
        ModelProto proto = OnnxExporter.export(ExportableModel.tokens(s.toString(),
                s.build(new int[] {7}, new SplittableRandom(1)), 7, characters, characters), "test");
        var input = proto.getGraph().getInput(0);
        assertEquals("tokens", input.getName());
        assertEquals(ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE, input.getType().getTensorType().getElemType());
        assertEquals(List.of("N", "T"), shape(input));
        assertEquals(List.of("N", "T", "5"), shape(proto.getGraph().getOutput(0)));
        assertArrayEquals(new String[] {"Gather", "Transpose", "GRU", "Transpose", "Reshape", "GRU", "Transpose", "Reshape",
                "Transpose", "MatMul", "Add", "Softmax"}, proto.getGraph().getNodeList().stream().map(n -> n.getOpType())
                .toArray(String[]::new));
        Map<String, String> metadata = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals("[\"a\",\"b\",\"c\",\"d\",\"é\"]", metadata.get("vocabulary"));
        assertEquals(metadata.get("vocabulary"), metadata.get("classes"));
    }

    @Test
    void embeddingReadsTokensOnlyAsTheFirstLayer() {
        ModelSpec s = ModelSpec.parse("embedding(10,4) flatten dense(3)");
        ExportableModel m = ExportableModel.arrays(s.toString(), s.build(new int[] {6}, new SplittableRandom(1)),
                new int[] {6}, false, null, Task.REGRESSION, List.of());
        DescentException e = assertThrows(DescentException.class, () -> OnnxExporter.export(m, "test"));
        assertTrue(e.getMessage().startsWith("layer 'embedding1' (Embedding(10, 4)) reads token ids, so it must be the"
                + " model's first layer"), e.getMessage());
    }

    @Test
    void outputsPerExampleMustBeOneVector() {
        DescentException e = assertThrows(DescentException.class, () -> OnnxExporter.export(digits("conv(2,3)"), "test"));
        assertTrue(e.getMessage().contains("answers [2, 6, 6] per example"), e.getMessage());
    }

    @Test
    void classCountMustMatchTheOutputs() {
        DescentException e = assertThrows(DescentException.class, () -> OnnxExporter.export(digits("flatten dense(3)"), "t"));
        assertTrue(e.getMessage().startsWith("the network has 3 outputs but the model has 10 classes"), e.getMessage());
    }

    @Test
    void replacesOnlyItsOwnFilesAndOnlyWhenAsked() throws IOException {
        ModelProto proto = OnnxExporter.export(digits("flatten dense(10)"), "test");
        Path file = tmp.resolve("sub/model.onnx");
        OnnxExporter.write(proto, file, false);
        assertTrue(OnnxExporter.isDescentModel(file));
        assertEquals(proto, ModelProto.parseFrom(Files.readAllBytes(file)));

        DescentException exists = assertThrows(DescentException.class, () -> OnnxExporter.write(proto, file, false));
        assertTrue(exists.getMessage().contains("pass --overwrite to replace it"), exists.getMessage());
        OnnxExporter.write(proto, file, true);

        Path foreign = Files.writeString(tmp.resolve("notes.onnx"), "my notes, not a model");
        DescentException notOurs = assertThrows(DescentException.class, () -> OnnxExporter.write(proto, foreign, true));
        assertTrue(notOurs.getMessage().contains("is not an ONNX model written by Descent"), notOurs.getMessage());
        assertEquals("my notes, not a model", Files.readString(foreign));

        ModelProto otherProducer = proto.toBuilder().setProducerName("pytorch").build();
        Path theirs = tmp.resolve("theirs.onnx");
        Files.write(theirs, otherProducer.toByteArray());
        assertFalse(OnnxExporter.isDescentModel(theirs));
        assertThrows(DescentException.class, () -> OnnxExporter.write(proto, theirs, true));

        Path folder = Files.createDirectory(tmp.resolve("folder.onnx"));
        DescentException dir = assertThrows(DescentException.class, () -> OnnxExporter.write(proto, folder, true));
        assertTrue(dir.getMessage().contains("is a folder"), dir.getMessage());
    }
}
