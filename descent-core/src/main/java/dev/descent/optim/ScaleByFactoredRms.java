package dev.descent.optim;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Storage;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Adafactor's second-moment scaling (optax {@code scale_by_factored_rms}). With {@code G = g² + eps}
 * and the decay {@code β = 1 − (c − decayOffset + 1)^(−decayRate)} (0 on the first update, so the
 * statistics then equal G):
 * <pre>
 * factored:      R ← β·R + (1−β)·mean over axis a of G        (shape without axis a)
 *                C ← β·C + (1−β)·mean over axis b of G        (shape without axis b)
 *                Rn = mean of R over its axis b
 *                u = g · (R/Rn)^(−½) [broadcast over a] · C^(−½) [broadcast over b]
 * not factored:  V ← β·V + (1−β)·G ;  u = g/√V
 * </pre>
 * A tensor is factored iff {@code factored}, its rank is ≥ 2 and its second-largest axis has at
 * least {@code minDimSizeToFactor} elements; {@code a} is the largest axis and {@code b} the
 * second largest (stable sort by size: on ties the later axis counts as larger); other axes act
 * as batch axes. For an {@code n×m} matrix with {@code m ≥ n}: {@code V̂_ij = R_i·C_j/mean(R)}.
 * optax computes β in float32; this computes it in double (differences ~1e-7).
 * Made by {@link Transforms#scaleByFactoredRms}.
 */
public final class ScaleByFactoredRms implements GradientTransformation {
    private final boolean factored;
    private final double decayRate;
    private final double decayOffset;
    private final int minDimSizeToFactor;
    private final double eps;

    /**
     * The update count and, per tensor, the row statistics R and column statistics C (factored
     * tensors) or the full statistics V (the others); unused entries hold one zero.
     */
    public record FactoredState(long count, Params rows, Params columns, Params full) implements OptState {
    }

    ScaleByFactoredRms(boolean factored, double decayRate, double decayOffset, int minDimSizeToFactor, double eps) {
        this.factored = factored;
        this.decayRate = decayRate;
        this.decayOffset = decayOffset;
        this.minDimSizeToFactor = minDimSizeToFactor;
        this.eps = eps;
    }

    /** {@code {a, b}} (largest, second-largest axis) when the tensor is factored, else null. */
    private int[] factoredAxes(int[] dims) {
        if (!factored || dims.length < 2) {
            return null;
        }
        Integer[] order = new Integer[dims.length];
        for (int i = 0; i < dims.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Integer.compare(dims[x], dims[y])); // stable
        int a = order[dims.length - 1], b = order[dims.length - 2];
        return dims[b] < minDimSizeToFactor ? null : new int[] {a, b};
    }

    private static int[] without(int[] dims, int axis) {
        int[] out = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != axis) {
                out[j++] = dims[i];
            }
        }
        return out;
    }

    private static Tensor one() {
        return Tensor.zeros(DType.FLOAT64, Shape.of(1));
    }

    @Override
    public OptState init(Params params) {
        List<Tensor> rows = new ArrayList<>(), columns = new ArrayList<>(), full = new ArrayList<>();
        for (Tensor p : params.tensors()) {
            int[] axes = factoredAxes(p.dims());
            rows.add(axes == null ? one() : Tensor.zeros(DType.FLOAT64, Shape.of(without(p.dims(), axes[0]))));
            columns.add(axes == null ? one() : Tensor.zeros(DType.FLOAT64, Shape.of(without(p.dims(), axes[1]))));
            full.add(axes == null ? Tensor.zeros(DType.FLOAT64, p.shape()) : one());
        }
        return new FactoredState(0, new Params(params.names(), rows), new Params(params.names(), columns),
                new Params(params.names(), full));
    }

    @Override
    public Update update(Params updates, OptState state, Params params, UpdateContext context) {
        FactoredState s = (FactoredState) state;
        double beta = 1 - Math.pow(s.count() - decayOffset + 1, -decayRate);
        for (int k = 0; k < updates.size(); k++) {
            int[] dims = updates.get(k).rank() == 0 ? new int[] {1} : updates.get(k).dims();
            int[] axes = factoredAxes(dims);
            Storage u = updates.get(k).storage();
            if (axes == null) {
                Storage v = s.full().get(k).storage();
                check(v, u.size(), s.full().name(k));
                for (int i = 0; i < u.size(); i++) {
                    double g = u.get(i);
                    u.set(i, g / Math.sqrt(Elementwise.ema(v, i, beta, g * g + eps)));
                }
                continue;
            }
            int a = axes[0], b = axes[1];
            Storage r = s.rows().get(k).storage(), c = s.columns().get(k).storage();
            check(r, u.size() / dims[a], s.rows().name(k));
            check(c, u.size() / dims[b], s.columns().name(k));
            int[] rowStrides = strides(dims, a), columnStrides = strides(dims, b);
            double[] rowSum = new double[r.size()], columnSum = new double[c.size()];
            int[] index = new int[dims.length];
            for (int i = 0; i < u.size(); i++) {
                double g2 = u.get(i) * u.get(i) + eps;
                rowSum[offset(index, rowStrides)] += g2;
                columnSum[offset(index, columnStrides)] += g2;
                increment(index, dims);
            }
            for (int j = 0; j < r.size(); j++) {
                Elementwise.ema(r, j, beta, rowSum[j] / dims[a]);
            }
            for (int j = 0; j < c.size(); j++) {
                Elementwise.ema(c, j, beta, columnSum[j] / dims[b]);
            }
            // Rn: the mean of R over axis b (R's elements indexed by all axes but a and b)
            int[] bothStrides = strides(dims, a, b);
            double[] rowNorm = new double[r.size() / dims[b]];
            java.util.Arrays.fill(index, 0);
            for (int i = 0; i < u.size(); i++) {
                if (index[a] == 0) {
                    rowNorm[offset(index, bothStrides)] += r.get(offset(index, rowStrides)) / dims[b];
                }
                increment(index, dims);
            }
            java.util.Arrays.fill(index, 0);
            for (int i = 0; i < u.size(); i++) {
                double rowFactor = 1 / Math.sqrt(r.get(offset(index, rowStrides)) / rowNorm[offset(index, bothStrides)]);
                double columnFactor = 1 / Math.sqrt(c.get(offset(index, columnStrides)));
                u.set(i, u.get(i) * rowFactor * columnFactor);
                increment(index, dims);
            }
        }
        return new Update(updates, new FactoredState(s.count() + 1, s.rows(), s.columns(), s.full()));
    }

    private static void check(Storage stats, int expected, String name) {
        if (stats.size() != expected) {
            throw new IllegalArgumentException("scaleByFactoredRms: statistics of " + name + " have " + stats.size()
                    + " elements, the update needs " + expected + "; was the state made for another model?");
        }
    }

    /** Row-major strides of {@code dims} with the {@code dropped} axes removed (their stride is 0). */
    private static int[] strides(int[] dims, int... dropped) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            boolean drop = false;
            for (int d : dropped) {
                drop |= d == axis;
            }
            if (!drop) {
                strides[axis] = stride;
                stride *= dims[axis];
            }
        }
        return strides;
    }

    private static int offset(int[] index, int[] strides) {
        int o = 0;
        for (int axis = 0; axis < index.length; axis++) {
            o += index[axis] * strides[axis];
        }
        return o;
    }

    private static void increment(int[] index, int[] dims) {
        for (int axis = dims.length - 1; axis >= 0 && ++index[axis] == dims[axis]; axis--) {
            index[axis] = 0;
        }
    }
}
