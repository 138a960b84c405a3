package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph being built: named inputs and outputs, initializers (weights and constants)
 * and nodes, each node writing one fresh tensor name. Names are unique across the graph: a
 * requested name already taken gets a numbered suffix ({@code fc1}, {@code fc1_2}), except the
 * graph's own inputs and outputs, which keep their exact names.
 */
final class OnnxGraph {
    /** The symbolic name of the batch axis in input and output shapes. */
    static final String BATCH = "N";
    /** The symbolic name of the time axis of token sequences, whose length is free. */
    static final String TIME = "T";
    /** The domain of the ONNX-ML operators (LabelEncoder, OneHotEncoder). */
    static final String ML_DOMAIN = "ai.onnx.ml";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private boolean usesMl;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Reserves {@code name} for a graph input or output; it must not be taken yet. */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("the name '" + name + "' is used twice in the graph");
        }
    }

    /** A fresh tensor name made from {@code hint}. */
    private String fresh(String hint) {
        String name = hint;
        for (int i = 2; !names.add(name); i++) {
            name = hint + "_" + i;
        }
        return name;
    }

    /**
     * Declares a graph input of element type {@code type} and shape {@code [N, dims...]}, where N is
     * the batch axis; returns its name.
     */
    String input(String name, TensorProto.DataType type, String doc, int... dims) {
        return input(name, type, doc, List.of(BATCH), dims);
    }

    /**
     * Declares a graph input of element type {@code type} and shape {@code [symbolic..., dims...]}:
     * first the free axes named {@code symbolic} ({@link #BATCH}, {@link #TIME}), then the fixed ones.
     */
    String input(String name, TensorProto.DataType type, String doc, List<String> symbolic, int... dims) {
        reserve(name);
        graph.addInput(valueInfo(name, type, doc, symbolic, dims));
        return name;
    }

    /**
     * Declares the tensor {@code name} (already reserved and written by a node) a float graph output
     * of shape {@code [symbolic..., dims...]}, the free axes named {@code symbolic} first.
     */
    void output(String name, String doc, List<String> symbolic, int... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, doc, symbolic, dims));
    }

    /**
     * Records the type and shape {@code [N, dims...]} of the inner tensor {@code name}, for
     * operators whose outputs ONNX's shape inference cannot derive (OneHotEncoder).
     */
    void describe(String name, int... dims) {
        graph.addValueInfo(valueInfo(name, TensorProto.DataType.FLOAT, "", List.of(BATCH), dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, String doc, List<String> symbolic,
                                            int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String axis : symbolic) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(axis));
        }
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setDocString(doc)
                .setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** A float initializer of shape {@code dims} holding {@code values} (row-major); returns its name. */
    String floats(String hint, float[] values, long... dims) {
        if (Arrays.stream(dims).reduce(1, Math::multiplyExact) != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(dims));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return initializer(hint, TensorProto.DataType.FLOAT, dims, ByteString.copyFrom(bytes.array()));
    }

    /** A float scalar (shape {@code []}), which ONNX broadcasts against any tensor. */
    String scalar(String hint, double value) {
        return floats(hint, new float[] {(float) value});
    }

    /** A double scalar (shape {@code []}). */
    String doubleScalar(String hint, double value) {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value);
        return initializer(hint, TensorProto.DataType.DOUBLE, new long[0], ByteString.copyFrom(bytes.array()));
    }

    /** A 1-D int64 initializer, as shape arguments ({@code Reshape}) want. */
    String longs(String hint, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return initializer(hint, TensorProto.DataType.INT64, new long[] {values.length}, ByteString.copyFrom(bytes.array()));
    }

    private String initializer(String hint, TensorProto.DataType type, long[] dims, ByteString raw) {
        String name = fresh(hint);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(raw));
        return name;
    }

    /** A node of the standard ONNX domain running {@code op} on {@code inputs}; name it, set attributes, then call {@link Node#out}. */
    Node op(String op, String... inputs) {
        return new Node(op, "", inputs);
    }

    /** A node of the {@value #ML_DOMAIN} domain. */
    Node ml(String op, String... inputs) {
        usesMl = true;
        return new Node(op, ML_DOMAIN, inputs);
    }

    /** Whether some node is an ONNX-ML operator, so the model must import that domain. */
    boolean usesMl() {
        return usesMl;
    }

    GraphProto build() {
        return graph.build();
    }

    /** One node being built; {@link #out} adds it to the graph. */
    final class Node {
        private final NodeProto.Builder node;

        private Node(String op, String domain, String[] inputs) {
            node = NodeProto.newBuilder().setOpType(op).setDomain(domain).addAllInput(List.of(inputs));
        }

        Node attr(String name, long value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value));
        }

        Node attr(String name, double value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                    .setF((float) value));
        }

        Node attr(String name, String value) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(value)));
        }

        Node ints(String name, List<Long> values) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(values));
        }

        Node floats(String name, List<Float> values) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS)
                    .addAllFloats(values));
        }

        Node ints(String name, long... values) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                    .addAllInts(Arrays.stream(values).boxed().toList()));
        }

        Node floats(String name, float... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
            for (float v : values) {
                a.addFloats(v);
            }
            return attr(a);
        }

        Node strings(String name, List<String> values) {
            return attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS)
                    .addAllStrings(values.stream().map(ByteString::copyFromUtf8).toList()));
        }

        private Node attr(AttributeProto.Builder attribute) {
            node.addAttribute(attribute);
            return this;
        }

        /** Adds the node, writing a fresh tensor named after {@code hint}; returns that name. */
        String out(String hint) {
            return out(hint, 0);
        }

        /**
         * Adds a node of several outputs, keeping only its output number {@code position} (0 is the
         * first), written to a fresh tensor named after {@code hint}; the optional outputs before it
         * are left out (empty names). Returns that name.
         */
        String out(String hint, int position) {
            String name = fresh(hint);
            for (int i = 0; i < position; i++) {
                node.addOutput("");
            }
            graph.addNode(node.setName(name).addOutput(name));
            return name;
        }

        /** Adds the node, writing the tensor {@code name} reserved before as a graph output. */
        String outputAs(String name) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("reserve the output name '" + name + "' first");
            }
            graph.addNode(node.setName(name).addOutput(name));
            return name;
        }
    }
}
