package dev.descent.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product {@code C = op(A)·op(B)}, {@code op(A)} of shape m×k and
 * {@code op(B)} of shape k×n, where {@code op} is the identity or the transpose, in the
 * layout of the BLIS papers (Van Zee and van de Geijn):
 * <pre>
 * for each tile of C, up to NC columns wide         (one task; tasks run in parallel; the
 *                                                   longer side of C is split first)
 *   for pc = 0, KC, 2·KC, … &lt; k                      (depth blocks, in this order)
 *     pack op(B)[pc..pc+KC, tile cols) into NR-column strips, p-major: b[p·NR + c]
 *     for each MC rows of the tile:
 *       pack op(A)[rows, pc..pc+KC) into MR-row strips,  p-major: a[p·MR + r]
 *       for every MR×NR micro-tile: C (+)= Σ_p a[p, ·] ⊗ b[p, ·]   (register-blocked FMA)
 * </pre>
 * So that no operand is packed twice whatever the thread count, a product whose packed operand
 * fits 8 MB packs one of them whole first, in parallel: with more than MC rows and at least as
 * many columns, A ({@link #packShared}, see {@link #SHARED_A_LIMIT}), which every column tile then reads; with at least
 * {@code 2·MC} rows and more rows than columns, B ({@link #rowsOverSharedB}), and C is split
 * into tasks of MC rows over all its columns. A left operand used by many products (a
 * convolution's weight) can be {@linkplain #packA(float[], int, boolean, int, int) packed} once for all of them.
 * Packing reads the transposed operands in place, so {@code Aᵀ·B} and {@code A·Bᵀ} (the
 * products backprop needs) cost no transposed copy. The micro-kernel keeps an MR×NR block of
 * C in {@code 2·MR} vector registers and, for each p, broadcasts MR values of A against two
 * vectors of B. Partial strips are zero-padded, so edges run the same kernel.
 *
 * <p>Every element of C is the same sequence of fused multiply-adds whatever the tiling into
 * tasks and whatever the thread count: depth blocks are fixed at KC and summed in order.
 * Packing buffers are per thread and reused, so a product allocates nothing once warm.
 */
final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register block: with five or six rows HotSpot's C2 ran the kernel at half the speed. */
    static final int MR = 4;
    /** Columns of the register block: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a packed block: an MR×KC strip of A and a KC×NR strip of B stay in L1. */
    static final int KC = 256;
    /** Rows of a packed A block (a multiple of MR): it stays in L2. */
    static final int MC = 16 * MR;
    /** Columns of a task's tile at most (a multiple of NR): its packed B block stays in L2/L3. */
    static final int NC = 512;
    /** Products below this many multiply-adds run on the calling thread. */
    private static final long PARALLEL_FLOPS = 1L << 18;

    private static final ThreadLocal<float[][]> PACKS =
            ThreadLocal.withInitial(() -> new float[][]{new float[MC / MR * stripA(KC)], new float[KC * NC], new float[MR * NR]});

    /**
     * {@link #packShared} packs A whole first (more than MC rows, at least as many columns) when C
     * has more rows than this or fewer columns: at 256 rows and 1,024 columns (configuration 2's
     * 256×784×1024:NT) the column tiles packing their own A blocks, hot in their core's cache, were
     * faster on two threads (136–155 against 113–127 GFLOP/s); with 128 columns (the CNN's dense
     * layer, 128×9216×128:NT) the tiles are 32 columns wide and each packed all of A's 4.7 MB.
     */
    private static final int SHARED_A_LIMIT = 4 * MC;
    /** Rows of C from which {@link #rowsOverSharedB} splits C by rows: two packed blocks of A. */
    private static final int SHARED_B_MIN_ROWS = 2 * MC;
    /** Floats of an operand packed whole for all tasks at most (8 MB; the square 2048² product packs per tile). */
    private static final int SHARED_MAX = 1 << 21;
    /** Per calling thread: the whole packed B of {@link #rowsOverSharedB}, read by every task; grown on demand. */
    private static final ThreadLocal<float[]> SHARED_B = ThreadLocal.withInitial(() -> new float[0]);
    /** Per calling thread: the whole packed A of {@link #packShared}, read by every column tile; grown on demand. */
    private static final ThreadLocal<float[]> SHARED_A = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Floats of B at most for {@link #fewRowsTimesTransposed} (512 KB): one example through the
     * 784×128 layer took 31–33 µs against 41–55 packed, through the CNN's 9216×128 layer twice
     * as long as packed (its gathers, 36 KB apart, evict each other from L1).
     */
    private static final long FEW_ROWS_MAX_B = 1L << 17;
    /** Per thread: the offsets of L consecutive rows of a k-wide B, for {@link #fewRowsTimesTransposed}'s gathers. */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[L]);

    private Gemm() {
    }

    /**
     * Packs {@code op(B)[p0..p0+kc, j0..j0+nc)} into NR-column strips from {@code dst[at]},
     * p-major ({@code dst[at + s·NR·kc + p·NR + c]}), zero-padding the last strip: what
     * {@link #multiply} does with a B in memory, and what a right operand computed on the fly
     * (the im2col matrix of a convolution) does without ever being stored whole.
     */
    @FunctionalInterface
    interface PanelPacker {
        void pack(int p0, int kc, int j0, int nc, float[] dst, int at);
    }

    /**
     * {@code C = op(A)·op(B)}: A stored m×k row-major (k×m when {@code transA}), B stored k×n
     * (n×k when {@code transB}), C m×n row-major and overwritten.
     */
    static void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                         float[] c, int cOff, int m, int k, int n) {
        if (m > 0 && n > 0 && k > 0 && m < MR && transB && (long) k * n <= FEW_ROWS_MAX_B) {
            fewRowsTimesTransposed(a, aOff, transA, b, bOff, c, cOff, m, k, n);
            return;
        }
        multiply(a, aOff, transA, stored(b, bOff, transB, k, n), c, cOff, m, k, n);
    }

    /** The packer of a B stored k×n ({@code n×k} when {@code transB}) from {@code b[bOff]}. */
    static PanelPacker stored(float[] b, int bOff, boolean transB, int k, int n) {
        return (p0, kc, j0, nc, dst, at) -> packB(b, bOff, transB, k, n, j0, nc, p0, kc, dst, at);
    }

    /**
     * {@code C = op(A)·B} for a k×n right operand that {@code b} packs block by block (C m×n
     * row-major, overwritten): the tiling, threads and sums of {@link #multiply}, so that a
     * packer writing the same strips gives the same C bit for bit.
     */
    static void multiply(float[] a, int aOff, boolean transA, PanelPacker b, float[] c, int cOff, int m, int k, int n) {
        product(a, aOff, transA, null, b, c, cOff, m, k, n);
    }

    /**
     * {@code C = op(A)·B} for an m×k left operand {@linkplain #packA packed} once for many
     * products (a convolution's weight, for every example of a batch): the same C bit for bit
     * as {@link #multiply} with the operand itself.
     */
    static void multiplyPackedA(float[] packedA, PanelPacker b, float[] c, int cOff, int m, int k, int n) {
        product(null, 0, false, packedA, b, c, cOff, m, k, n);
    }

    /** {@link #multiply}, A read from {@code packedA} when it is not null. */
    private static void product(float[] a, int aOff, boolean transA, float[] packedA, PanelPacker b,
                                float[] c, int cOff, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        long flops = (long) m * n * k;
        boolean shareA = n >= m && m > MC && (m > SHARED_A_LIMIT || n < SHARED_A_LIMIT);
        float[] left = packedA == null && shareA && flops >= PARALLEL_FLOPS && packedASize(m, k) <= SHARED_MAX
                ? packShared(a, aOff, transA, m, k) : packedA;
        if (m > n && m >= SHARED_B_MIN_ROWS && flops >= PARALLEL_FLOPS && packedSize(k, n) <= SHARED_MAX) {
            rowsOverSharedB(a, aOff, transA, packedA, b, c, cOff, m, k, n);
            return;
        }
        // Every column tile packs all of A's rows in it, every row tile all of B's columns: split
        // the longer side of C first, so that the larger operand is packed once, and the other
        // side only when there are too few tiles to keep the threads busy (a product inside a
        // task of the pool runs its tiles on that task's thread: one).
        int threads = Parallel.threadsHere(), tileCols, tileRows;
        if (n >= m) {
            // When A is one MC block, every column tile packs all of it again: one tile per thread.
            int wanted = m <= MC ? threads : 2 * threads, nc = NC;
            while (nc > NR && (n + nc - 1) / nc < wanted) {
                nc /= 2;
            }
            tileCols = nc;
            int colTiles = (n + tileCols - 1) / tileCols;
            int rowTiles = Math.max(1, Math.min((m + MC - 1) / MC, (2 * threads + colTiles - 1) / colTiles));
            tileRows = ((m + rowTiles - 1) / rowTiles + MR - 1) / MR * MR;
        } else {
            tileCols = Math.min(NC, (n + NR - 1) / NR * NR);
            int colTiles = (n + tileCols - 1) / tileCols;
            int rowTiles = Math.max(1, Math.min((m + MR - 1) / MR, (2 * threads + colTiles - 1) / colTiles));
            tileRows = ((m + rowTiles - 1) / rowTiles + MR - 1) / MR * MR;
        }
        int colTiles = (n + tileCols - 1) / tileCols;
        int tasks = ((m + tileRows - 1) / tileRows) * colTiles;
        int grain = flops < PARALLEL_FLOPS ? tasks : 1;
        Parallel.forRange(tasks, grain, (from, to) -> {
            float[][] packs = PACKS.get();
            for (int t = from; t < to; t++) {
                int i0 = (t / colTiles) * tileRows, j0 = (t % colTiles) * tileCols;
                tile(a, aOff, transA, left, b, c, cOff, m, k, n,
                        i0, Math.min(tileRows, m - i0), j0, Math.min(tileCols, n - j0), packs);
            }
        });
    }

    /**
     * The products with many rows (the layers of a batch of 256): B is packed whole once, its
     * depth blocks and column ranges in parallel, into the calling thread's {@link #SHARED_B},
     * and then every task takes MC rows of C over all n columns, packing its rows of A once per
     * depth block. Each operand is packed once whatever the thread count, where the column
     * tiles of {@link #multiply} pack all of their rows of A again per tile (twice as many tiles
     * on two threads). The packed B is {@link #pack}'s layout; each element of C is the same
     * sequence of fused multiply-adds and depth-block sums as in {@link #tile}.
     */
    private static void rowsOverSharedB(float[] a, int aOff, boolean transA, float[] packedA, PanelPacker b,
                                        float[] c, int cOff, int m, int k, int n) {
        int width = (n + NR - 1) / NR * NR, depthBlocks = (k + KC - 1) / KC, colRanges = (n + NC - 1) / NC;
        float[] shared = buffer(SHARED_B, packedSize(k, n));
        Parallel.forRange(depthBlocks * colRanges, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int p0 = (t / colRanges) * KC, j0 = (t % colRanges) * NC;
                b.pack(p0, Math.min(KC, k - p0), j0, Math.min(NC, n - j0), shared, p0 * width + j0 * Math.min(KC, k - p0));
            }
        });
        Parallel.forRange((m + MC - 1) / MC, 1, (from, to) -> {
            float[][] packs = PACKS.get();
            for (int i0 = from * MC, end = Math.min(m, to * MC); i0 < end; i0 += MC) {
                for (int p0 = 0; p0 < k; p0 += KC) {
                    block(a, aOff, transA, packedA, m, k, shared, p0 * width, p0, Math.min(KC, k - p0), c, cOff, n,
                            i0, Math.min(MC, m - i0), 0, n, p0 > 0, packs);
                }
            }
        });
    }

    /**
     * The whole of {@code op(A)} (more than MC rows, a product with at least as many columns)
     * packed once into the calling thread's {@link #SHARED_A}, in tasks of one depth block of MC
     * rows: the column tiles then read it instead of each packing all their rows of A again.
     */
    private static float[] packShared(float[] a, int aOff, boolean transA, int m, int k) {
        float[] shared = buffer(SHARED_A, packedASize(m, k));
        int rowBlocks = (m + MC - 1) / MC;
        Parallel.forRange((k + KC - 1) / KC * rowBlocks, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int p0 = t / rowBlocks * KC, i0 = t % rowBlocks * MC, kc = Math.min(KC, k - p0);
                packA(a, aOff, transA, m, k, i0, Math.min(MC, m - i0), p0, kc, shared, aBlockStart(m, p0) + i0 / MR * stripA(kc));
            }
        });
        return shared;
    }

    /** The calling thread's buffer in {@code cache}, grown to at least {@code size} floats. */
    private static float[] buffer(ThreadLocal<float[]> cache, int size) {
        float[] buffer = cache.get();
        if (buffer.length < size) {
            buffer = new float[size];
            cache.set(buffer);
        }
        return buffer;
    }

    /**
     * One task: rows {@code i0..i0+mt} and columns {@code j0..j0+nt} of C. For each depth block
     * the task packs its B block once and then its A block MC rows at a time.
     */
    private static void tile(float[] a, int aOff, boolean transA, float[] packedA, PanelPacker b,
                             float[] c, int cOff, int m, int k, int n, int i0, int mt, int j0, int nt,
                             float[][] packs) {
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            b.pack(p0, kc, j0, nt, packs[1], 0);
            block(a, aOff, transA, packedA, m, k, packs[1], 0, p0, kc, c, cOff, n, i0, mt, j0, nt, p0 > 0, packs);
        }
    }

    /**
     * C's rows {@code i0..i0+mt} and columns {@code j0..j0+nt} (row stride {@code ldc}) for one
     * depth block {@code p0..p0+kc}, whose B strips for these columns lie packed from {@code bBase}:
     * packs A's block MC rows at a time (or finds it in {@code packedA}) and runs the
     * micro-kernel over every MR×NR block.
     */
    private static void block(float[] a, int aOff, boolean transA, float[] packedA, int m, int k, float[] packB, int bBase,
                              int p0, int kc, float[] c, int cOff, int ldc, int i0, int mt, int j0, int nt, boolean accumulate,
                              float[][] packs) {
        float[] packA = packedA != null ? packedA : packs[0], edge = packs[2];
        int colStrips = (nt + NR - 1) / NR;
        for (int ib = i0; ib < i0 + mt; ib += MC) {
            int mc = Math.min(MC, i0 + mt - ib), rowStrips = (mc + MR - 1) / MR, aBase = 0;
            if (packedA == null) {
                packA(a, aOff, transA, m, k, ib, mc, p0, kc, packA, 0);
            } else {
                aBase = aBlockStart(m, p0) + ib / MR * stripA(kc);
            }
            for (int js = 0; js < colStrips; js++) {
                int j = j0 + js * NR, cols = Math.min(NR, j0 + nt - j);
                for (int is = 0; is < rowStrips; is++) {
                    int i = ib + is * MR, rows = Math.min(MR, ib + mc - i);
                    microKernel(packA, aBase + is * stripA(kc), packB, bBase + js * NR * kc, kc,
                            c, cOff + i * ldc + j, ldc, rows, cols, accumulate, edge);
                }
            }
        }
    }

    /**
     * {@code C = op(A)·Bᵀ} for fewer rows than a register block (one example through a dense
     * layer, B its weight [n, k]), on the calling thread and without packing B: packing would
     * move all of B to multiply it by one row. L columns of C at a time, each p gathers the
     * column's L values of B (k apart); every element is the sum {@link #multiply} forms, the
     * same fused multiply-adds in the same order from zero in each depth block of KC, the blocks
     * added in order, so the result is bit-identical to a row of a batched product.
     */
    private static void fewRowsTimesTransposed(float[] a, int aOff, boolean transA, float[] b, int bOff,
                                               float[] c, int cOff, int m, int k, int n) {
        int[] rowStarts = GATHER.get();
        for (int lane = 0; lane < L; lane++) {
            rowStarts[lane] = lane * k;
        }
        for (int i = 0; i < m; i++) {
            int aRow = transA ? aOff + i : aOff + i * k, aStep = transA ? m : 1, cRow = cOff + i * n, j = 0;
            for (; j + L <= n; j += L) {
                FloatVector sum = FloatVector.zero(S);
                for (int p0 = 0; p0 < k; p0 += KC) {
                    FloatVector block = FloatVector.zero(S);
                    for (int p = p0, end = Math.min(k, p0 + KC); p < end; p++) {
                        FloatVector column = FloatVector.fromArray(S, b, bOff + j * k + p, rowStarts, 0);
                        block = FloatVector.broadcast(S, a[aRow + p * aStep]).fma(column, block);
                    }
                    sum = p0 == 0 ? block : block.add(sum);
                }
                sum.intoArray(c, cRow + j);
            }
            for (; j < n; j++) { // the columns after the last whole vector, one at a time
                float sum = 0f;
                for (int p0 = 0; p0 < k; p0 += KC) {
                    float block = 0f;
                    for (int p = p0, end = Math.min(k, p0 + KC); p < end; p++) {
                        block = Math.fma(a[aRow + p * aStep], b[bOff + j * k + p], block);
                    }
                    sum = p0 == 0 ? block : block + sum;
                }
                c[cRow + j] = sum;
            }
        }
    }

    /** Floats that {@link #pack} fills for a k×n operand: every depth block's strips, the last strip zero-padded. */
    static int packedSize(int k, int n) {
        return k * ((n + NR - 1) / NR * NR);
    }

    /**
     * Packs the whole of {@code op(B)} (k×n) once, for many products with the same right operand
     * ({@link #multiplyPacked}): depth block {@code p0} starts at {@code p0·⌈n/NR⌉·NR} and holds
     * its NR-column strips as {@link #multiply} packs them, so the products are bit-identical.
     */
    static void pack(float[] b, int bOff, boolean transB, int k, int n, float[] packed) {
        int width = (n + NR - 1) / NR * NR;
        for (int p0 = 0; p0 < k; p0 += KC) {
            packB(b, bOff, transB, k, n, 0, n, p0, Math.min(KC, k - p0), packed, p0 * width);
        }
    }

    /**
     * {@code C = op(A)·B}, or {@code C += op(A)·B} when {@code accumulate}, on the calling thread,
     * B given {@linkplain #pack packed} (k×n): the same sums as {@link #multiply}, without packing
     * B again. Callers run it from several threads at once on different rows of C.
     */
    static void multiplyPacked(float[] a, int aOff, boolean transA, float[] packed, int k, int n,
                               float[] c, int cOff, int m, boolean accumulate) {
        if (m == 0 || n == 0 || (k == 0 && accumulate)) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        float[][] packs = PACKS.get();
        int width = (n + NR - 1) / NR * NR;
        for (int p0 = 0; p0 < k; p0 += KC) {
            block(a, aOff, transA, null, m, k, packed, p0 * width, p0, Math.min(KC, k - p0), c, cOff, n, 0, m, 0, n,
                    accumulate || p0 > 0, packs);
        }
    }

    /**
     * Floats between the starts of two packed MR-row strips of A: the strip, and one cache line
     * more, so that with KC = 256 the strips do not start 4 KB apart, where the stores of a
     * transposed A's packing (a few floats to each strip in turn) kept aliasing each other.
     */
    private static int stripA(int kc) {
        return MR * kc + 16;
    }

    /**
     * Packs the whole of {@code op(A)} (m×k, A stored m×k or, {@code transA}, k×m) once, for many
     * products with the same left operand ({@link #multiplyPackedA}): depth block {@code p0}
     * holds all of its MR-row strips from {@link #aBlockStart}, each as {@link #block} packs them.
     */
    static float[] packA(float[] a, int aOff, boolean transA, int m, int k) {
        float[] packed = new float[packedASize(m, k)];
        for (int p0 = 0; p0 < k; p0 += KC) {
            packA(a, aOff, transA, m, k, 0, m, p0, Math.min(KC, k - p0), packed, aBlockStart(m, p0));
        }
        return packed;
    }

    /** Floats of a whole packed op(A), m×k: every depth block's MR-row strips. */
    private static int packedASize(int m, int k) {
        int last = k - (k - 1) / KC * KC;
        return aBlockStart(m, k - last) + (m + MR - 1) / MR * stripA(last);
    }

    /** Where depth block {@code p0} of a whole {@linkplain #packA(float[], int, boolean, int, int) packed} A starts. */
    private static int aBlockStart(int m, int p0) {
        return p0 / KC * ((m + MR - 1) / MR) * stripA(KC);
    }

    /** Packs {@code op(A)[i0..i0+mc, p0..p0+kc)} into MR-row strips from {@code dst[at]}, zero-padding the last one. */
    private static void packA(float[] a, int aOff, boolean transA, int m, int k, int i0, int mc, int p0, int kc,
                              float[] dst, int at) {
        if (transA) { // A stored k×m: row p holds the MR values of every strip, one strip after the other
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * m + i0;
                for (int s = 0; s * MR < mc; s++) {
                    int rows = Math.min(MR, mc - s * MR), from = src + s * MR, d = at + s * stripA(kc) + p * MR;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[from + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            }
            return;
        }
        for (int s = 0; s * MR < mc; s++) { // A stored m×k: walk each row along p
            int base = at + s * stripA(kc), rows = Math.min(MR, mc - s * MR), firstRow = i0 + s * MR;
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = aOff + (firstRow + r) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** Packs {@code op(B)[p0..p0+kc, j0..j0+nc)} into NR-column strips from {@code dst[at]}, zero-padding the last one. */
    private static void packB(float[] b, int bOff, boolean transB, int k, int n, int j0, int nc, int p0, int kc,
                              float[] dst, int at) {
        for (int s = 0; s * NR < nc; s++) {
            int base = at + s * NR * kc, cols = Math.min(NR, nc - s * NR), firstCol = j0 + s * NR;
            if (transB) { // B stored n×k: walk each column along p
                for (int col = 0; col < NR; col++) {
                    if (col < cols) {
                        int src = bOff + (firstCol + col) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + col] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + col] = 0f;
                        }
                    }
                }
            } else { // B stored k×n: the NR values of one p are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * n + firstCol, d = base + p * NR;
                    System.arraycopy(b, src, dst, d, cols);
                    for (int col = cols; col < NR; col++) {
                        dst[d + col] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The MR×NR register block: {@code C[r, j] (+)= Σ_p a[p·MR + r]·b[p·NR + j]} over
     * {@code kc} steps, stored to the {@code rows×cols} corner of C that exists (through
     * {@code tile}, MR·NR floats of scratch, at the edges).
     */
    private static void microKernel(float[] a, int aBase, float[] b, int bBase, int kc,
                                    float[] c, int cAt, int ldc, int rows, int cols, boolean accumulate,
                                    float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aBase + p * MR, bp = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (rows == MR && cols == NR) {
            store(c00, c01, c, cAt, accumulate);
            store(c10, c11, c, cAt + ldc, accumulate);
            store(c20, c21, c, cAt + 2 * ldc, accumulate);
            store(c30, c31, c, cAt + 3 * ldc, accumulate);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int at = cAt + r * ldc + j;
                c[at] = accumulate ? c[at] + tile[r * NR + j] : tile[r * NR + j];
            }
        }
    }

    private static void store(FloatVector lo, FloatVector hi, float[] c, int at, boolean accumulate) {
        if (accumulate) {
            lo = lo.add(FloatVector.fromArray(S, c, at));
            hi = hi.add(FloatVector.fromArray(S, c, at + L));
        }
        lo.intoArray(c, at);
        hi.intoArray(c, at + L);
    }
}
