package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.fuzz.Fuzz;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {
    private static final String MNIST = "flatten dense(512) relu dropout(0.2) dense(256) relu dropout(0.2) dense(10)";

    @Test
    void canonicalTextRoundTrips() {
        assertEquals(MNIST, ModelSpec.parse(MNIST).toString());
        ModelSpec messy = ModelSpec.parse("  flatten\tdense(64.0)  leaky_relu(0.10) elu gelu silu sigmoid tanh softmax log_softmax dropout(.5) ");
        String canonical = "flatten dense(64) leaky_relu(0.1) elu gelu silu sigmoid tanh softmax log_softmax dropout(0.5)";
        assertEquals(canonical, messy.toString());
        assertEquals(messy, ModelSpec.parse(canonical));
    }

    @Test
    void mlpWritesTheMnistNetwork() {
        assertEquals(MNIST, ModelSpec.mlp(new int[] {512, 256}, "relu", 0.2, 10).toString());
        assertEquals("flatten dense(8) tanh dense(2)", ModelSpec.mlp(new int[] {8}, "tanh", 0, 2).toString());
    }

    @Test
    void buildNamesDenseLayersFcAndInfersInputSizes() {
        Sequential net = ModelSpec.parse(MNIST).build(new int[] {28, 28}, new SplittableRandom(1));
        Map<String, Tensor> p = net.namedParameters();
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {512, 784}, p.get("fc1.weight").dims());
        assertArrayEquals(new int[] {10, 256}, p.get("fc3.weight").dims());
        assertEquals(784L * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10, net.parameterCount());
        assertEquals(List.of("flatten1", "fc1", "relu1", "dropout1", "fc2", "relu2", "dropout2", "fc3"),
                List.copyOf(net.children().keySet()));
        assertArrayEquals(new int[] {3, 10}, net.forward(Tensor.zeros(3, 28, 28)).dims());
    }

    @Test
    void buildIsDeterministicUnderASeed() {
        Sequential a = ModelSpec.parse(MNIST).build(new int[] {784}, new SplittableRandom(9));
        Sequential b = ModelSpec.parse(MNIST).build(new int[] {784}, new SplittableRandom(9));
        assertArrayEquals(a.parameters().get(2).toFloatArray(), b.parameters().get(2).toFloatArray());
        Tensor x = Tensor.ones(2, 784);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
    }

    @Test
    void summaryListsOutputShapesAndParameterCounts() {
        List<ModelSpec.Row> rows = ModelSpec.parse("flatten dense(16) relu dense(3)").summary(new int[] {2, 4});
        assertEquals(List.of(
                new ModelSpec.Row("flatten1", "flatten", Shape.of(8), 0),
                new ModelSpec.Row("fc1", "dense(16)", Shape.of(16), 8 * 16 + 16),
                new ModelSpec.Row("relu1", "relu", Shape.of(16), 0),
                new ModelSpec.Row("fc2", "dense(3)", Shape.of(3), 16 * 3 + 3)), rows);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "flatten dense(512) dense(abc) | bad model specification at token 3 'dense(abc)': dense wants a positive integer, like dense(128)",
            "dense(0)                      | bad model specification at token 1 'dense(0)': dense wants a positive integer, like dense(128)",
            "dense                         | bad model specification at token 1 'dense': dense wants a positive integer, like dense(128)",
            "dense(2.5)                    | bad model specification at token 1 'dense(2.5)': dense wants a positive integer, like dense(128)",
            "dense(4) dropout(1)           | bad model specification at token 2 'dropout(1)': dropout wants a rate in [0, 1), like dropout(0.2)",
            "dense(4) relu(2)              | bad model specification at token 2 'relu(2)': relu takes no argument: write relu",
            "dense(4) leaky_relu(x)        | bad model specification at token 2 'leaky_relu(x)': leaky_relu wants a number, like leaky_relu(0.01)",
            "dense(4) convv(3)             | bad model specification at token 2 'convv(3)': unknown layer 'convv', use one of flatten, dense, conv, maxpool, avgpool, gap, batchnorm, layernorm, dropout, softmax, log_softmax, relu, leaky_relu, elu, gelu, silu, sigmoid, tanh",
            "conv(3)                       | bad model specification at token 1 'conv(3)': conv kernel wants a positive integer, like conv(32,3)",
            "conv(32,3,strid=2)            | bad model specification at token 1 'conv(32,3,strid=2)': conv has no argument 'strid'; it takes out, kernel, stride, padding, dilation, groups, bias",
            "conv(32,3,padding=full)       | bad model specification at token 1 'conv(32,3,padding=full)': conv padding wants a whole number ≥ 0 or same, like conv(32,3)",
            "conv(32,3,stride=2,padding=same) | bad model specification at token 1 'conv(32,3,stride=2,padding=same)': it does not fit input of shape [1, 8, 8] (padding=same needs stride 1)",
            "conv(32,kernel=3,1)           | bad model specification at token 1 'conv(32,kernel=3,1)': a positional argument after a named one; write it like conv(32,3)",
            "maxpool(2,2,0,1)              | bad model specification at token 1 'maxpool(2,2,0,1)': too many arguments; write it like maxpool(2)",
            "batchnorm(momentum=2)         | bad model specification at token 1 'batchnorm(momentum=2)': batchnorm momentum wants a number in [0, 1], like batchnorm(momentum=0.1)",
            "flatten conv(8,3)             | bad model specification at token 2 'conv(8,3)': it does not fit input of shape [64] (it wants images [C, H, W])",
            "conv(8,9)                     | bad model specification at token 1 'conv(8,9)': it does not fit input of shape [1, 8, 8] (conv2d: a 9x9 kernel does not fit an input of 8x8)",
            "dense(4) Dense(4)             | bad model specification at token 2 'Dense(4)': write a layer name, optionally with arguments in parentheses, like dense(128)",
    })
    void malformedTextNamesTheOffendingToken(String text, String message) {
        assertEquals(message, assertThrows(DescentException.class,
                () -> ModelSpec.parse(text).build(new int[] {1, 8, 8}, new SplittableRandom(1))).getMessage());
    }

    @Test
    void convolutionArgumentsArePositionalThenNamedAndRoundTrip() {
        ModelSpec spec = ModelSpec.parse("conv(16, 3, padding=same) batchnorm conv(32,3,stride=2,dilation=1,bias=false)"
                + " maxpool(2,stride=1) avgpool(2) gap layernorm(eps=0.001) dense(10)");
        String canonical = "conv(16,3,padding=same) batchnorm conv(32,3,stride=2,dilation=1,bias=false) maxpool(2,stride=1)"
                + " avgpool(2) gap layernorm(eps=0.001) dense(10)";
        assertEquals(canonical, spec.toString());
        assertEquals(spec, ModelSpec.parse(canonical));
        List<ModelSpec.Row> rows = spec.summary(new int[] {1, 12, 12});
        assertEquals(List.of("conv1", "bn1", "conv2", "maxpool1", "avgpool1", "gap1", "ln1", "fc1"),
                rows.stream().map(ModelSpec.Row::name).toList());
        assertEquals(Shape.of(16, 12, 12), rows.get(0).outputShape());
        assertEquals(16 * 9 + 16, rows.get(0).parameters());
        assertEquals(2 * 16, rows.get(1).parameters());
        assertEquals(Shape.of(32, 5, 5), rows.get(2).outputShape());
        assertEquals(32 * 16 * 9, rows.get(2).parameters());
        assertEquals(Shape.of(32, 4, 4), rows.get(3).outputShape());
        assertEquals(Shape.of(32, 2, 2), rows.get(4).outputShape());
        assertEquals(Shape.of(32), rows.get(5).outputShape());
        assertEquals(Shape.of(10), rows.get(7).outputShape());
    }

    @Test
    void presetsStandForTheirText() {
        assertEquals("conv(32,3) relu conv(64,3) relu maxpool(2) dropout(0.25) flatten dense(128) relu dropout(0.5) dense(10)",
                ModelSpec.parse("cnn").toString());
        assertEquals(MNIST, ModelSpec.parse(" mlp ").toString());
        List<ModelSpec.Row> cnn = ModelSpec.parse("cnn").summary(new int[] {1, 28, 28});
        assertEquals(Shape.of(64, 12, 12), cnn.get(4).outputShape());
        assertEquals(1_199_882L, cnn.stream().mapToLong(ModelSpec.Row::parameters).sum());
        Sequential lenet = ModelSpec.parse("lenet5").build(new int[] {1, 28, 28}, new SplittableRandom(1));
        assertEquals(61_706L, lenet.parameterCount());
        assertArrayEquals(new int[] {2, 10}, lenet.forward(Tensor.zeros(2, 1, 28, 28)).dims());
    }

    @Test
    void batchNormRunningStatisticsAreBuffersNotParameters() {
        Sequential net = ModelSpec.parse("conv(4,3) batchnorm relu flatten dense(2)").build(new int[] {1, 5, 5},
                new SplittableRandom(3));
        assertEquals(List.of("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "fc1.weight", "fc1.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("bn1.running_mean", "bn1.running_var"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "fc1.weight", "fc1.bias"), List.copyOf(net.namedTensors().keySet()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mlp                                                               | 1,28,28",
            "cnn                                                               | 1,28,28",
            "lenet5                                                            | 1,28,28",
            "conv(16,3,padding=same) batchnorm conv(32,3,stride=2,dilation=2,bias=false) maxpool(2,stride=1) avgpool(3,padding=1) gap layernorm(eps=0.001) dense(10) | 3,17,19",
            "conv(4,3,groups=2,padding=1) avgpool(2,stride=2,padding=1) batchnorm(affine=false) flatten layernorm dense(3) | 2,7,5",
            "dense(6) layernorm relu dense(1)                                  | 3,4",
            "dense(5)                                                          | 7",
    })
    void theMemoryCheckCountsExactlyTheParametersAndTheLargestOutputTheBuildMakes(String text, String shape) {
        int[] input = Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray();
        ModelSpec spec = ModelSpec.parse(text);
        long parameters = spec.build(input, new SplittableRandom(1)).parameterCount();
        long largest = Math.max(Shape.of(input).size(),
                spec.summary(input).stream().mapToLong(row -> row.outputShape().size()).max().orElse(0));
        long needed = ModelSpec.BYTES_PER_PARAMETER * parameters + 4 * largest;
        spec.requireFitsIn(input, needed);
        assertThrows(DescentException.class, () -> spec.requireFitsIn(input, needed - 1));
    }

    @Test
    void aModelTooLargeForMemoryIsRefusedBeforeAnythingIsAllocated() {
        ModelSpec spec = ModelSpec.parse("flatten dense(2000000) relu dense(10)");
        assertThrows(DescentException.class, () -> spec.build(new int[] {1, 28, 28}, new SplittableRandom(1))); // loads the classes
        String[] message = new String[1];
        long allocated = Fuzz.bytesAllocatedBy(() -> message[0] = assertThrows(DescentException.class,
                () -> spec.build(new int[] {1, 28, 28}, new SplittableRandom(1))).getMessage());
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
        assertTrue(message[0].startsWith("the model 'flatten dense(2000000) relu dense(10)' has 1,590,000,010 parameters:"
                + " training it needs about 25.4 GB (16 bytes per parameter"), message[0]);
        assertTrue(message[0].endsWith("give Java more memory (-Xmx, e.g. DESCENT_JAVA_OPTS=-Xmx16g)"), message[0]);
        assertThrows(DescentException.class, () -> spec.summary(new int[] {1, 28, 28}));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dense(16777217)                 | 1,8,8 | bad model specification at token 1 'dense(16777217)': dense out 16777217 is larger than the largest size Descent accepts, 16,777,216",
            "conv(8,3,dilation=99999999)     | 1,8,8 | bad model specification at token 1 'conv(8,3,dilation=99999999)': conv dilation 99999999 is larger than",
            "flatten dense(16777216) dense(16777216) | 1,8,8 | bad model specification at token 3 'dense(16777216)': it would have 281,474,993,487,872 parameters",
            "conv(16777216,3) conv(16777216,3) | 1,8,8 | bad model specification at token 2 'conv(16777216,3)': it would have 2,533,274,807,173,120 parameters and 268,435,456 outputs per example",
            "conv(8,129,padding=same,dilation=16777216) | 1,8,8 | bad model specification at token 1 'conv(8,129,padding=same,dilation=16777216)': it does not fit input of shape [1, 8, 8] (kernel 129 dilated by 16777216 spans more than 2^31 pixels)",
            "conv(8,3,padding=16777216)      | 1,8,8 | bad model specification at token 1 'conv(8,3,padding=16777216)': it would have 80 parameters and 9,007,202,475,966,752 outputs per example, more than a tensor holds",
            "flatten dense(2)                | 65536,65536 | input shape [65536, 65536] has 4,294,967,296 values per example",
            "flatten dense(2)                | 0,3   | input shape [0, 3] must have positive dimensions",
    })
    void absurdSizesAreRefusedInOneLine(String text, String shape, String message) {
        int[] input = Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray();
        String actual = assertThrows(DescentException.class,
                () -> ModelSpec.parse(text).build(input, new SplittableRandom(1))).getMessage();
        assertTrue(actual.startsWith(message), actual);
    }

    @Test
    void emptyTextIsAUserError() {
        assertThrows(DescentException.class, () -> ModelSpec.parse("  "));
    }
}
