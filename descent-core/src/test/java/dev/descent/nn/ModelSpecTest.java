package dev.descent.nn;

import dev.descent.DescentException;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            "dense(4) conv(3)              | bad model specification at token 2 'conv(3)': unknown layer 'conv', use one of flatten, dense, dropout, softmax, log_softmax, relu, leaky_relu, elu, gelu, silu, sigmoid, tanh",
            "dense(4) Dense(4)             | bad model specification at token 2 'Dense(4)': write a layer name, optionally with an argument in parentheses, like dense(128)",
    })
    void malformedTextNamesTheOffendingToken(String text, String message) {
        assertEquals(message, assertThrows(DescentException.class, () -> ModelSpec.parse(text)).getMessage());
    }

    @Test
    void emptyTextIsAUserError() {
        assertThrows(DescentException.class, () -> ModelSpec.parse("  "));
    }
}
