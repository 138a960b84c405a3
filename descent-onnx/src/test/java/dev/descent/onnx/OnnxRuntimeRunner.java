package dev.descent.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.descent.tensor.Tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/** Runs exported models in ONNX Runtime (CPU) and measures how far they are from Descent's outputs. */
final class OnnxRuntimeRunner {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OnnxRuntimeRunner() {
    }

    static OnnxTensor floats(float[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape);
    }

    static OnnxTensor doubles(double[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(values), shape);
    }

    static OnnxTensor longs(long[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape);
    }

    static OnnxTensor strings(String[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, values, shape);
    }

    /** The single output {@code [N, K]} of {@code model} for {@code inputs} (closed afterwards). */
    static float[][] run(ModelProto model, Map<String, OnnxTensor> inputs) throws OrtException {
        return (float[][]) output(model, inputs);
    }

    /** The single output {@code [N, T, K]} of a model answering every step, for {@code inputs} (closed afterwards). */
    static float[][][] runSteps(ModelProto model, Map<String, OnnxTensor> inputs) throws OrtException {
        return (float[][][]) output(model, inputs);
    }

    private static Object output(ModelProto model, Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OrtSession.Result result = session.run(inputs)) {
            return result.get(0).getValue();
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** {@code max |onnx − descent|} over every element of outputs {@code [N, T, K]}; fails on a shape mismatch. */
    static double maxDifference(float[][][] onnx, Tensor descent) {
        if (descent.rank() != 3 || onnx.length != descent.dim(0) || onnx[0].length != descent.dim(1)) {
            throw new AssertionError("ONNX Runtime answered [" + onnx.length + ", " + onnx[0].length + ", ...], Descent "
                    + descent.shape());
        }
        float[][] rows = Arrays.stream(onnx).flatMap(Arrays::stream).toArray(float[][]::new);
        return maxDifference(rows, descent.reshape(rows.length, descent.dim(2)));
    }

    /** {@code max |onnx − descent|} over every element; fails on a shape mismatch. */
    static double maxDifference(float[][] onnx, Tensor descent) {
        if (descent.rank() != 2 || onnx.length != descent.dim(0) || onnx[0].length != descent.dim(1)) {
            throw new AssertionError("ONNX Runtime answered [" + onnx.length + ", " + onnx[0].length + "], Descent "
                    + descent.shape());
        }
        double[] d = descent.toDoubleArray();
        double max = 0;
        for (int i = 0; i < onnx.length; i++) {
            for (int k = 0; k < onnx[i].length; k++) {
                max = Math.max(max, Math.abs(onnx[i][k] - d[i * onnx[i].length + k]));
            }
        }
        return max;
    }
}
