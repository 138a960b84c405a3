package dev.descent.optim;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * SM3-II (optax {@code scale_by_sm3} with {@code b2 = 1}, {@code eps = 1e-8}): per tensor of
 * rank r, one accumulator vector {@code A_k} per axis k (length = that axis' size), all 0
 * at first; a rank-0 tensor counts as a vector of one element.
 * <pre>
 * a = g² + min over k of A_k[i_k]           (rank 1: a = g² + A_0, plain Adagrad)
 * s = 1/√(a + eps) where a &gt; 0, else 0
 * ν ← (1 − momentum)·(s·g) + momentum·ν      (EMA, not heavy-ball)
 * A_k[j] ← max of a over the elements with i_k = j
 * u = ν
 * </pre>
 * For a matrix: {@code a_ij = g_ij² + min(R_i, C_j)}, {@code R_i = max_j a_ij},
 * {@code C_j = max_i a_ij}. With b2 = 1 the accumulators sum squared gradients (no decay).
 * Made by {@link Transforms#scaleBySm3}.
 */
public final class ScaleBySm3 implements GradientTransformation {
    private static final double EPS = 1e-8;
    private final double momentum;

    /**
     * The accumulators, tensor after tensor and axis after axis (named {@code name/axis}), and
     * the momentum buffer ν.
     */
    public record Sm3State(Params accumulators, Params nu) implements OptState {
    }

    ScaleBySm3(double momentum) {
        this.momentum = momentum;
    }

    private static int[] dims(Tensor t) {
        return t.rank() == 0 ? new int[] {1} : t.dims();
    }

    @Override
    public OptState init(Params params) {
        List<String> names = new ArrayList<>();
        List<Tensor> accumulators = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            int[] dims = dims(params.get(k));
            for (int axis = 0; axis < dims.length; axis++) {
                names.add(params.name(k) + "/" + axis);
                accumulators.add(Tensor.zeros(DType.FLOAT64, Shape.of(dims[axis])));
            }
        }
        return new Sm3State(new Params(names, accumulators), params.zerosLike());
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        Sm3State s = (Sm3State) state;
        Elementwise.requireMatching(updates, s.nu(), "scaleBySm3");
        int first = 0;
        for (int k = 0; k < updates.size(); k++) {
            int[] dims = dims(updates.get(k));
            int rank = dims.length;
            Storage[] acc = new Storage[rank];
            double[][] next = new double[rank][];
            for (int axis = 0; axis < rank; axis++) {
                acc[axis] = s.accumulators().get(first + axis).storage();
                if (acc[axis].size() != dims[axis]) {
                    throw new IllegalArgumentException("scaleBySm3: accumulator " + s.accumulators().name(first + axis)
                            + " has " + acc[axis].size() + " elements, axis " + axis + " of the update " + dims[axis]);
                }
                next[axis] = new double[dims[axis]];
                java.util.Arrays.fill(next[axis], Double.NEGATIVE_INFINITY);
            }
            Storage u = updates.get(k).storage(), nu = s.nu().get(k).storage();
            int[] index = new int[rank];
            for (int i = 0; i < u.size(); i++) {
                double g = u.get(i);
                double min = Double.POSITIVE_INFINITY;
                for (int axis = 0; axis < rank; axis++) {
                    min = Math.min(min, acc[axis].get(index[axis]));
                }
                double a = g * g + min;
                for (int axis = 0; axis < rank; axis++) {
                    next[axis][index[axis]] = Math.max(next[axis][index[axis]], a);
                }
                double scaled = a > 0 ? g / Math.sqrt(a + EPS) : 0;
                u.set(i, Elementwise.ema(nu, i, momentum, scaled));
                for (int axis = rank - 1; axis >= 0 && ++index[axis] == dims[axis]; axis--) {
                    index[axis] = 0;
                }
            }
            for (int axis = 0; axis < rank; axis++) {
                for (int j = 0; j < dims[axis]; j++) {
                    acc[axis].set(j, next[axis][j]);
                }
            }
            first += rank;
        }
        return new Update(updates, s);
    }
}
