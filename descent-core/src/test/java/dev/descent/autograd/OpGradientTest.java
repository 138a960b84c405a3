package dev.descent.autograd;

import dev.descent.tensor.BatchNormalization;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.DType;
import dev.descent.tensor.Pooling;
import dev.descent.tensor.RecurrentCell;
import dev.descent.tensor.Recurrence;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.UnaryOp;
import dev.descent.tensor.Window;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every differentiable op passes a double-precision gradient check (one row per op and variant). */
class OpGradientTest {

    /** A row: the op under test and the shapes of its random inputs (values in [low, high], sign random when signed). */
    record Case(String name, Function<List<Tensor>, Tensor> f, double low, double high, boolean signed, int[]... shapes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Function<List<Tensor>, Tensor> f, int[]... shapes) {
        return new Case(name, f, 0.2, 2.0, true, shapes);
    }

    private static Case positive(String name, Function<List<Tensor>, Tensor> f, int[]... shapes) {
        return new Case(name, f, 0.3, 2.0, false, shapes);
    }

    private static int[] s(int... dims) {
        return dims;
    }

    static Stream<Arguments> cases() {
        List<Case> rows = new ArrayList<>(List.of(
                c("add broadcast", x -> x.get(0).add(x.get(1)), s(3, 4), s(4)),
                c("add scalar-shaped", x -> x.get(0).add(x.get(1)), s(2, 3), s()),
                c("sub broadcast column", x -> x.get(0).sub(x.get(1)), s(3, 4), s(3, 1)),
                c("mul broadcast both", x -> x.get(0).mul(x.get(1)), s(3, 1, 2), s(4, 1)),
                c("div", x -> x.get(0).div(x.get(1)), s(2, 3), s(2, 3)),
                c("maximum", x -> x.get(0).maximum(x.get(1)), s(2, 5), s(5)),
                c("minimum", x -> x.get(0).minimum(x.get(1)), s(2, 5), s(2, 5)),
                c("clamp", x -> x.get(0).clamp(-1, 1), s(3, 3)),
                c("add constant", x -> x.get(0).add(3).mul(2).sub(1).div(4), s(4)),
                c("matmul", x -> x.get(0).matmul(x.get(1)), s(3, 4), s(4, 5)),
                c("matmul batched broadcast", x -> x.get(0).matmul(x.get(1)), s(2, 3, 4), s(4, 2)),
                c("linear", x -> x.get(0).linear(x.get(1), x.get(2)), s(5, 3), s(4, 3), s(4)),
                c("linear 3-d input, no bias", x -> x.get(0).linear(x.get(1), null), s(2, 3, 3), s(4, 3)),
                c("linear + relu fused", x -> x.get(0).linearRelu(x.get(1), x.get(2)), s(5, 3), s(4, 3), s(4)),
                c("linear + relu fused, no bias", x -> x.get(0).linearRelu(x.get(1), null), s(2, 3, 3), s(4, 3)),
                c("sum all", x -> x.get(0).sum(), s(3, 4)),
                c("sum axis", x -> x.get(0).sum(1, false), s(2, 3, 4)),
                c("sum axis keepdim", x -> x.get(0).sum(0, true), s(2, 3)),
                c("mean", x -> x.get(0).mean(-1, false), s(3, 5)),
                c("max axis", x -> x.get(0).max(1, false), s(3, 6)),
                c("logsumexp", x -> x.get(0).logSumExp(1, true), s(3, 4)),
                c("softmax", x -> x.get(0).softmax(-1), s(3, 4)),
                c("softmax inner axis", x -> x.get(0).softmax(0), s(3, 4)),
                c("log-softmax", x -> x.get(0).logSoftmax(1), s(2, 5)),
                c("cross-entropy class indices", x -> x.get(0).softmaxCrossEntropy(new int[] {2, 0, 1}), s(3, 4)),
                c("cross-entropy soft targets", x -> x.get(0).softmaxCrossEntropy(
                        Tensor.of(new double[] {0.2, 0.8, 0, 0, 0.5, 0.5}, 2, 3)), s(2, 3)),
                c("reshape", x -> x.get(0).reshape(3, -1).mul(x.get(0).reshape(3, 4)), s(2, 6)),
                c("permute", x -> x.get(0).permute(2, 0, 1), s(2, 3, 4)),
                c("transpose", x -> x.get(0).transpose(0, 1), s(3, 2)),
                c("expand", x -> x.get(0).expand(Shape.of(2, 3, 4)), s(3, 1)),
                c("slice", x -> x.get(0).slice(1, 1, 3), s(2, 4)),
                c("concat", x -> Tensor.concat(1, x.get(0), x.get(1)), s(2, 3), s(2, 2)),
                c("index-select with repeats", x -> x.get(0).indexSelect(0, 2, 0, 2), s(3, 2)),
                c("gather", x -> x.get(0).gather(1, new int[] {0, 2, 1, 1}), s(2, 3)),
                c("where", x -> Tensor.where(x.get(0).gt(0), x.get(0), x.get(1)), s(3, 3), s(3)),
                c("conv2d", x -> Convolution.conv2d(x.get(0), x.get(1), x.get(2), Window.square(3, 1, 0, 1), 1),
                        s(2, 2, 5, 4), s(3, 2, 3, 3), s(3)),
                c("conv2d stride 2 padding 1 no bias", x -> Convolution.conv2d(x.get(0), x.get(1), null,
                        Window.square(3, 2, 1, 1), 1), s(1, 2, 6, 5), s(2, 2, 3, 3)),
                c("conv2d dilation 2 groups 2", x -> Convolution.conv2d(x.get(0), x.get(1), x.get(2),
                        Window.square(2, 1, 1, 2), 2), s(2, 4, 5, 5), s(4, 2, 2, 2), s(4)),
                c("conv2d same even kernel", x -> Convolution.conv2d(x.get(0), x.get(1), x.get(2), Window.same(4, 1), 1),
                        s(1, 1, 5, 5), s(2, 1, 4, 4), s(2)),
                c("max pool 2x2", x -> Pooling.maxPool2d(x.get(0), Window.square(2, 2, 0, 1)), s(2, 2, 4, 5)),
                c("max pool 3x3 stride 2 padding 1", x -> Pooling.maxPool2d(x.get(0), Window.square(3, 2, 1, 1)), s(1, 2, 5, 5)),
                c("average pool 2x2", x -> Pooling.avgPool2d(x.get(0), Window.square(2, 2, 0, 1)), s(2, 2, 4, 5)),
                c("average pool 3x3 stride 2 padding 1", x -> Pooling.avgPool2d(x.get(0), Window.square(3, 2, 1, 1)),
                        s(1, 2, 5, 5)),
                c("batch norm batch statistics", x -> BatchNormalization.batchNorm(x.get(0), x.get(1), x.get(2),
                        new double[3], new double[3], 1e-5, true), s(4, 3, 2, 2), s(3), s(3)),
                c("batch norm [N, C] no affine", x -> BatchNormalization.batchNorm(x.get(0), null, null,
                        new double[2], new double[2], 1e-5, true), s(5, 2)),
                c("batch norm running statistics", x -> BatchNormalization.batchNorm(x.get(0), x.get(1), x.get(2),
                        new double[] {0.5, -1}, new double[] {2, 0.7}, 1e-5, false), s(3, 2, 2, 1), s(2), s(2))));
        for (RecurrentCell cell : RecurrentCell.values()) {
            int g = cell.gates();
            for (boolean reverse : new boolean[] {false, true}) {
                rows.add(c(cell + (reverse ? " reverse" : ""), x -> Recurrence.forward(cell, x.get(0), x.get(1), x.get(2),
                        x.get(3), x.get(4), null, null, reverse).output(), s(2, 4, 3), s(g * 2, 3), s(g * 2, 2), s(g * 2), s(g * 2)));
            }
            for (boolean reverse : new boolean[] {false, true}) {
                int[] ids = {4, 0, 2, 4, 1, 1, 3, 0};
                rows.add(c(cell + " over embedding rows" + (reverse ? " reverse" : ""), x -> Recurrence.forwardTokens(cell, ids,
                        2, 4, x.get(0), x.get(1), x.get(2), x.get(3), x.get(4), null, null, reverse).output(),
                        s(5, 3), s(g * 2, 3), s(g * 2, 2), s(g * 2), s(g * 2)));
            }
            Tensor h0 = Tensor.of(new double[] {0.3, -0.5, 0.1, 0.8}, 2, 2), c0 = Tensor.of(new double[] {-0.2, 0.4, 1, -1}, 2, 2);
            rows.add(c(cell + " from a given state, last state", x -> Recurrence.forward(cell, x.get(0), x.get(1), x.get(2),
                    x.get(3), x.get(4), h0, cell == RecurrentCell.LSTM ? c0 : null, false).output().slice(1, 2, 3),
                    s(2, 3, 3), s(g * 2, 3), s(g * 2, 2), s(g * 2), s(g * 2)));
        }
        for (UnaryOp op : UnaryOp.values()) {
            double alpha = switch (op) {
                case POW -> 2.5;
                case LEAKY_RELU -> 0.1;
                case ELU -> 1.3;
                default -> 0;
            };
            boolean positiveOnly = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW;
            Function<List<Tensor>, Tensor> f = x -> x.get(0).apply(op, alpha);
            rows.add(positiveOnly ? positive(op.name(), f, s(2, 3)) : c(op.name(), f, s(2, 3)));
        }
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backpropMatchesFiniteDifferences(Case row) {
        SplittableRandom rng = new SplittableRandom(row.name().hashCode());
        List<Tensor> inputs = new ArrayList<>();
        for (int[] shape : row.shapes()) {
            Tensor t = Tensor.zeros(DType.FLOAT64, Shape.of(shape));
            for (int i = 0; i < t.size(); i++) {
                double magnitude = row.low() + (row.high() - row.low()) * rng.nextDouble();
                t.storage().set(i, row.signed() && rng.nextBoolean() ? -magnitude : magnitude);
            }
            inputs.add(t);
        }
        GradCheck.Result result = GradCheck.check(row.f(), inputs);
        assertTrue(result.checked() > 0);
        assertTrue(result.passed(), () -> row.name() + ": " + result.worst() + " (error " + result.maxError() + ")");
    }
}
