package dev.descent.tensor;

import dev.descent.tensor.TorchReference.Case;
import dev.descent.io.Json;
import dev.descent.nn.BatchNorm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.descent.tensor.TorchReference.assertClose;
import static dev.descent.tensor.TorchReference.tensor;

/**
 * Convolution, pooling and the batch norm layer (with its running statistics) against PyTorch 1.13 (float64 outputs and gradients of
 * {@code Σ y·g} from {@code scripts/reference/torch_conv.py}), in float64 and in float32.
 */
class TorchConvReferenceTest {
    private static final double FLOAT64_TOLERANCE = 1e-10, FLOAT32_TOLERANCE = 1e-4;

    static Stream<Case> cases() {
        return TorchReference.cases(TorchConvReferenceTest.class, "torch_conv.json");
    }

    @ParameterizedTest(name = "{0} float64")
    @MethodSource("cases")
    void matchesTorchInDoublePrecision(Case c) {
        check(c, DType.FLOAT64, FLOAT64_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} float32")
    @MethodSource("cases")
    void matchesTorchInSinglePrecision(Case c) {
        check(c, DType.FLOAT32, FLOAT32_TOLERANCE);
    }

    @SuppressWarnings("unchecked")
    private static void check(Case c, DType dtype, double tolerance) {
        Map<String, Object> doc = c.doc(), settings = (Map<String, Object>) doc.get("settings");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        ((Map<String, Object>) doc.get("inputs")).forEach((k, v) -> inputs.put(k, tensor(v).to(dtype).copy().requiresGrad(true)));
        Tensor x = inputs.get("x");
        BatchNorm bn = null;
        Tensor y = switch ((String) doc.get("op")) {
            case "conv2d" -> {
                Tensor w = inputs.get("weight");
                int k = w.dim(2), dilation = integer(settings, "dilation");
                Window window = "same".equals(settings.get("padding")) ? Window.same(k, dilation)
                        : Window.square(k, integer(settings, "stride"), integer(settings, "padding"), dilation);
                yield Convolution.conv2d(x, w, inputs.get("bias"), window, integer(settings, "groups"));
            }
            case "max_pool2d" -> Pooling.maxPool2d(x, poolWindow(settings));
            case "avg_pool2d" -> Pooling.avgPool2d(x, poolWindow(settings));
            case "batch_norm" -> {
                bn = new BatchNorm(x.dim(1), Json.toDouble(settings.get("eps")), Json.toDouble(settings.get("momentum")), true);
                bn.to(dtype).train((Boolean) settings.get("training"));
                bn.setTensor("running_mean", Tensor.of(doubles(settings.get("running_mean")), x.dim(1)).to(dtype));
                bn.setTensor("running_var", Tensor.of(doubles(settings.get("running_var")), x.dim(1)).to(dtype));
                bn.setParameter("weight", inputs.get("weight"));
                bn.setParameter("bias", inputs.get("bias"));
                inputs.putAll(bn.namedParameters());
                yield bn.forward(x);
            }
            default -> throw new IllegalArgumentException("unknown op " + doc.get("op"));
        };
        assertClose(tensor(doc.get("y")), y, tolerance, c + " output");
        y.mul(tensor(doc.get("g")).to(dtype)).sum().backward();
        ((Map<String, Object>) doc.get("grads")).forEach((k, v) ->
                assertClose(tensor(v), inputs.get(k).grad(), tolerance, c + " gradient of " + k));
        if (bn != null) {
            Map<String, Tensor> buffers = bn.namedBuffers();
            assertClose(Tensor.of(doubles(doc.get("running_mean_after")), x.dim(1)), buffers.get("running_mean"), tolerance,
                    c + " running mean");
            assertClose(Tensor.of(doubles(doc.get("running_var_after")), x.dim(1)), buffers.get("running_var"), tolerance,
                    c + " running variance");
        }
    }

    private static Window poolWindow(Map<String, Object> settings) {
        return Window.square(integer(settings, "kernel"), integer(settings, "stride"), integer(settings, "padding"),
                integer(settings, "dilation"));
    }

    private static int integer(Map<String, Object> settings, String key) {
        return (int) Json.toDouble(settings.get(key));
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(Json::toDouble).toArray();
    }
}
