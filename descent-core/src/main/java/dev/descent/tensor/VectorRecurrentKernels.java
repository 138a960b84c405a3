package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The recurrent step loops for float buffers: the recurrent product against a weight packed
 * once ({@link Gemm#pack}, when the built-in matrix product is in use), and each cell's gates in
 * one SIMD pass per row ({@link VectorMath}'s logistic function and tanh, which give the same bits
 * whichever JIT tier runs them). The
 * formulas are those of {@link ReferenceRecurrentKernels}, which serves any other buffer. A row's
 * last partial vector runs under a mask, so every element of a row is computed the same way
 * whatever the rows around it, and results do not depend on how rows are split among threads.
 * Each cell's loop keeps its vectors inside one method (with small helpers C2 inlines), so
 * nothing is allocated per step.
 */
final class VectorRecurrentKernels extends ReferenceRecurrentKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public Right prepare(Storage b, boolean transB, int k, int n) {
        if (!(b instanceof FloatStorage(float[] weights))) {
            return super.prepare(b, transB, k, n);
        }
        if (MatmulBackends.SELECTED != MatmulBackends.JAVA) {
            return (a, aOffset, c, cOffset, m, accumulate) -> {
                float[] out = f(c), product = accumulate ? new float[m * n] : out;
                MatmulBackends.SELECTED.multiply(f(a), aOffset, false, weights, 0, transB, product,
                        accumulate ? 0 : cOffset, m, k, n);
                if (accumulate) {
                    for (int i = 0; i < m * n; i++) {
                        out[cOffset + i] += product[i];
                    }
                }
            };
        }
        float[] packed = f(Storage.allocateForOverwrite(DType.FLOAT32, Gemm.packedSize(k, n)));
        Gemm.pack(weights, 0, transB, k, n, packed);
        return (a, aOffset, c, cOffset, m, accumulate) ->
                Gemm.multiplyPacked(f(a), aOffset, false, packed, k, n, f(c), cOffset, m, accumulate);
    }

    @Override
    public void gatherRows(Storage table, int[] index, int width, Storage out) {
        if (!floats(table, out)) {
            super.gatherRows(table, index, width, out);
            return;
        }
        float[] from = f(table), to = f(out);
        for (int i = 0; i < index.length; i++) {
            System.arraycopy(from, index[i] * width, to, i * width, width);
        }
    }

    @Override
    public void scatterAddRows(Storage rows, int[] index, int width, Storage table) {
        if (!floats(rows, table)) {
            super.scatterAddRows(rows, index, width, table);
            return;
        }
        float[] from = f(rows), to = f(table);
        for (int i = 0; i < index.length; i++) {
            int src = i * width, dst = index[i] * width;
            for (int j = 0; j < width; j += L) {
                VectorMask<Float> m = mask(j, width);
                store(load(to, dst + j, m).add(load(from, src + j, m)), to, dst + j, m);
            }
        }
    }

    private static float[] f(Storage s) {
        return s == null ? null : ((FloatStorage) s).data();
    }

    private static boolean floats(Storage... all) {
        for (Storage s : all) {
            if (s != null && !(s instanceof FloatStorage)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- lane helpers (inlined by C2)

    /** The mask of the vector at column {@code j} of a row of {@code n}: null for a whole vector. */
    private static VectorMask<Float> mask(int j, int n) {
        return j + L <= n ? null : S.indexInRange(j, n);
    }

    private static FloatVector load(float[] a, int at, VectorMask<Float> m) {
        return m == null ? FloatVector.fromArray(S, a, at) : FloatVector.fromArray(S, a, at, m);
    }

    private static void store(FloatVector v, float[] a, int at, VectorMask<Float> m) {
        if (m == null) {
            v.intoArray(a, at);
        } else {
            v.intoArray(a, at, m);
        }
    }

    /** The pre-activation of gate columns {@code col…}: input part, hidden part and both biases. */
    private static FloatVector pre(float[] gates, int g, float[] hw, int w, float[] bIh, float[] bHh, int col,
                                   VectorMask<Float> m) {
        return load(gates, g + col, m).add(load(bIh, col, m)).add(load(hw, w + col, m)).add(load(bHh, col, m));
    }

    private static FloatVector sigmoid(FloatVector x) {
        return VectorMath.sigmoid(x);
    }

    private static FloatVector tanh(FloatVector x) {
        return VectorMath.tanh(x);
    }

    /** {@code 1 − v²}, tanh's derivative from its value. */
    private static FloatVector oneMinusSquare(FloatVector v) {
        return v.neg().fma(v, FloatVector.broadcast(S, 1f));
    }

    /** {@code v·(1 − v)}, the logistic function's derivative from its value. */
    private static FloatVector logisticSlope(FloatVector v) {
        return v.neg().fma(v, v);
    }

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(Buffers b, int s, int row0, int rows, Storage hw, Storage bIh, Storage bHh) {
        if (!floats(b.gates(), b.h(), b.c(), b.aux(), hw, bIh, bHh)) {
            super.forward(b, s, row0, rows, hw, bIh, bHh);
            return;
        }
        switch (b.cell()) {
            case RNN -> rnn(b, s, row0, rows, f(hw), f(bIh), f(bHh));
            case LSTM -> lstm(b, s, row0, rows, f(hw), f(bIh), f(bHh));
            case GRU -> gru(b, s, row0, rows, f(hw), f(bIh), f(bHh));
        }
    }

    private static void rnn(Buffers b, int s, int row0, int rows, float[] hw, float[] bIh, float[] bHh) {
        int n = b.hidden();
        float[] gates = f(b.gates()), h = f(b.h());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), w = r * n, next = b.stateRow(s + 1, r);
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector y = tanh(pre(gates, g, hw, w, bIh, bHh, j, m));
                store(y, gates, g + j, m);
                store(y, h, next + j, m);
            }
        }
    }

    private static void lstm(Buffers b, int s, int row0, int rows, float[] hw, float[] bIh, float[] bHh) {
        int n = b.hidden();
        float[] gates = f(b.gates()), h = f(b.h()), c = f(b.c()), tanhC = f(b.aux());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), w = r * 4 * n, prev = b.stateRow(s, r), next = b.stateRow(s + 1, r);
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector i = sigmoid(pre(gates, g, hw, w, bIh, bHh, j, m));
                FloatVector f = sigmoid(pre(gates, g, hw, w, bIh, bHh, n + j, m));
                FloatVector cand = tanh(pre(gates, g, hw, w, bIh, bHh, 2 * n + j, m));
                FloatVector o = sigmoid(pre(gates, g, hw, w, bIh, bHh, 3 * n + j, m));
                FloatVector cell = f.fma(load(c, prev + j, m), i.mul(cand)), tanhCell = tanh(cell);
                store(i, gates, g + j, m);
                store(f, gates, g + n + j, m);
                store(cand, gates, g + 2 * n + j, m);
                store(o, gates, g + 3 * n + j, m);
                store(cell, c, next + j, m);
                store(tanhCell, tanhC, prev + j, m);
                store(o.mul(tanhCell), h, next + j, m);
            }
        }
    }

    private static void gru(Buffers b, int s, int row0, int rows, float[] hw, float[] bIh, float[] bHh) {
        int n = b.hidden();
        float[] gates = f(b.gates()), h = f(b.h()), hiddenN = f(b.aux());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), w = r * 3 * n, prev = b.stateRow(s, r), next = b.stateRow(s + 1, r);
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector reset = sigmoid(pre(gates, g, hw, w, bIh, bHh, j, m));
                FloatVector update = sigmoid(pre(gates, g, hw, w, bIh, bHh, n + j, m));
                FloatVector hn = load(hw, w + 2 * n + j, m).add(load(bHh, 2 * n + j, m));
                FloatVector inputN = load(gates, g + 2 * n + j, m).add(load(bIh, 2 * n + j, m));
                FloatVector cand = tanh(reset.fma(hn, inputN));
                FloatVector hPrev = load(h, prev + j, m);
                store(reset, gates, g + j, m);
                store(update, gates, g + n + j, m);
                store(cand, gates, g + 2 * n + j, m);
                store(hn, hiddenN, prev + j, m);
                store(update.fma(hPrev.sub(cand), cand), h, next + j, m); // (1 − z)·n + z·h = n + z·(h − n)
            }
        }
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(Buffers b, int s, int row0, int rows, Storage dh, Storage dc) {
        if (!floats(b.gates(), b.h(), b.c(), b.aux(), b.dOut(), b.dGates(), b.dHidden(), dh, dc)) {
            super.backward(b, s, row0, rows, dh, dc);
            return;
        }
        switch (b.cell()) {
            case RNN -> rnnBackward(b, s, row0, rows, f(dh));
            case LSTM -> lstmBackward(b, s, row0, rows, f(dh), f(dc));
            case GRU -> gruBackward(b, s, row0, rows, f(dh));
        }
    }

    private static void rnnBackward(Buffers b, int s, int row0, int rows, float[] dh) {
        int n = b.hidden();
        float[] gates = f(b.gates()), dOut = f(b.dOut()), dGates = f(b.dGates());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), out = b.stateRow(s, r), d = r * n;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector dy = load(dOut, out + j, m).add(load(dh, d + j, m));
                store(dy.mul(oneMinusSquare(load(gates, g + j, m))), dGates, g + j, m);
            }
        }
    }

    private static void lstmBackward(Buffers b, int s, int row0, int rows, float[] dh, float[] dc) {
        int n = b.hidden();
        float[] gates = f(b.gates()), c = f(b.c()), tanhC = f(b.aux()), dOut = f(b.dOut()), dGates = f(b.dGates());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), prev = b.stateRow(s, r), d = r * n;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector dy = load(dOut, prev + j, m).add(load(dh, d + j, m));
                FloatVector i = load(gates, g + j, m), f = load(gates, g + n + j, m);
                FloatVector cand = load(gates, g + 2 * n + j, m), o = load(gates, g + 3 * n + j, m);
                FloatVector tanhCell = load(tanhC, prev + j, m);
                FloatVector dCell = dy.mul(o).fma(oneMinusSquare(tanhCell), load(dc, d + j, m));
                store(dCell.mul(cand).mul(logisticSlope(i)), dGates, g + j, m);
                store(dCell.mul(load(c, prev + j, m)).mul(logisticSlope(f)), dGates, g + n + j, m);
                store(dCell.mul(i).mul(oneMinusSquare(cand)), dGates, g + 2 * n + j, m);
                store(dy.mul(tanhCell).mul(logisticSlope(o)), dGates, g + 3 * n + j, m);
                store(dCell.mul(f), dc, d + j, m);
            }
        }
    }

    private static void gruBackward(Buffers b, int s, int row0, int rows, float[] dh) {
        int n = b.hidden();
        float[] gates = f(b.gates()), h = f(b.h()), hiddenN = f(b.aux()), dOut = f(b.dOut());
        float[] dGates = f(b.dGates()), dHidden = f(b.dHidden());
        for (int r = row0; r < row0 + rows; r++) {
            int g = b.gateRow(s, r), prev = b.stateRow(s, r), d = r * n;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> m = mask(j, n);
                FloatVector dy = load(dOut, prev + j, m).add(load(dh, d + j, m));
                FloatVector reset = load(gates, g + j, m), update = load(gates, g + n + j, m);
                FloatVector cand = load(gates, g + 2 * n + j, m);
                FloatVector dCand = dy.sub(dy.mul(update)).mul(oneMinusSquare(cand));
                FloatVector dUpdate = dy.mul(load(h, prev + j, m).sub(cand)).mul(logisticSlope(update));
                FloatVector dReset = dCand.mul(load(hiddenN, prev + j, m)).mul(logisticSlope(reset));
                store(dReset, dGates, g + j, m);
                store(dUpdate, dGates, g + n + j, m);
                store(dCand, dGates, g + 2 * n + j, m);
                store(dReset, dHidden, g + j, m);
                store(dUpdate, dHidden, g + n + j, m);
                store(dCand.mul(reset), dHidden, g + 2 * n + j, m);
                store(dy.mul(update), dh, d + j, m);
            }
        }
    }
}
