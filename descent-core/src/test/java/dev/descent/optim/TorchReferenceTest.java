package dev.descent.optim;

import dev.descent.io.Json;
import dev.descent.nn.Activation;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Descent's optimizers against {@code torch.optim} (PyTorch 1.13.1), step by step, in float64.
 *
 * <p>The reference trajectories lie in {@code src/test/resources/dev/descent/optim/torch/}, one
 * JSON file per configuration and problem, written by {@code scripts/reference/torch_optimizers.py}
 * (which documents the torch settings chosen to make torch equal optax's rule; this test needs no
 * Python). Problems: Rosenbrock {@code (1−x)² + 100(y−x²)²} from (−1.2, 1), and a 4-3-2 tanh MLP
 * with fixed weights and batch (read from the JSON) under mean softmax cross-entropy. Each run
 * makes 100 steps; after every step every parameter must satisfy
 * {@code |ours − torch| ≤ RTOL·|torch| + ATOL} with {@code RTOL = 1e-5} and the absolute floor
 * {@code ATOL = 1e-12}, which only matters for parameters passing through zero (e.g. biases),
 * where a relative bound alone would demand bit equality. The loss before every step is held to
 * the same bound (it checks the network's forward pass). Measured worst relative differences
 * over the 100 steps: ≤ 4e-15 on Rosenbrock, ≤ 1e-9 on the MLP (rounding, amplified by training).
 *
 * <p>{@link #rows()} lists the optimizers the registry has; {@link #pendingRows()} those still to
 * come (their resources are already here): when one lands in {@link OptimizerRegistry}, move its
 * rows from {@code pendingRows()} to {@code rows()} (and adjust the hyperparameter names if the
 * registry chose other ones than optax's; the string must equal the JSON's
 * {@code descent.hyperparameters}, so change both or regenerate). {@link #NOT_EQUAL} lists the
 * configurations torch 1.13 cannot be set to reproduce; their files say why ({@code note}).
 */
class TorchReferenceTest {
    /** Relative tolerance per parameter and step. */
    static final double RTOL = 1e-5;
    /** Absolute floor added to the relative bound, for values near zero. */
    static final double ATOL = 1e-12;

    /** Optimizer name in the registry, its hyperparameters, resource name (without {@code .json}). */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("sgd", "lr=1e-3", "sgd_rosenbrock"),
                Arguments.of("sgd", "lr=0.5", "sgd_mlp"),
                Arguments.of("sgd", "lr=5e-4,momentum=0.9", "sgd_momentum_rosenbrock"),
                Arguments.of("sgd", "lr=0.1,momentum=0.9", "sgd_momentum_mlp"),
                Arguments.of("sgd", "lr=5e-4,momentum=0.9,nesterov=1", "sgd_nesterov_rosenbrock"),
                Arguments.of("sgd", "lr=0.1,momentum=0.9,nesterov=1", "sgd_nesterov_mlp"),
                Arguments.of("sgd", "lr=5e-4,momentum=0.9,weight_decay=0.1", "sgd_momentum_l2_rosenbrock"),
                Arguments.of("sgd", "lr=0.1,momentum=0.9,weight_decay=0.1", "sgd_momentum_l2_mlp"),
                Arguments.of("rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0", "rmsprop_rosenbrock"),
                Arguments.of("rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0", "rmsprop_mlp"),
                Arguments.of("rmsprop", "lr=1e-3,decay=0.99,eps=1e-8,eps_in_sqrt=0,momentum=0.9",
                        "rmsprop_momentum_rosenbrock"),
                Arguments.of("rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,momentum=0.9",
                        "rmsprop_momentum_mlp"),
                Arguments.of("adam", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8", "adam_rosenbrock"),
                Arguments.of("adam", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8", "adam_mlp"),
                Arguments.of("adam", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1", "adam_l2_rosenbrock"),
                Arguments.of("adam", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1", "adam_l2_mlp"));
    }

    // The optimizers of the catalogue issue that PyTorch also has. Hyperparameter names are optax's.
    static Stream<Arguments> pendingRows() {
        return Stream.of(
                Arguments.of("rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,centered=1", "rmsprop_centered_rosenbrock"),
                Arguments.of("rmsprop", "lr=0.01,decay=0.99,eps=1e-8,eps_in_sqrt=0,centered=1", "rmsprop_centered_mlp"),
                // weight_decay here is adamw's decoupled decay (×lr), not the registry's L2
                Arguments.of("adamw", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1", "adamw_rosenbrock"),
                Arguments.of("adamw", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8,weight_decay=0.1", "adamw_mlp"),
                // b2=0: the only setting where torch's amsgrad (max of uncorrected v) equals optax's
                Arguments.of("amsgrad", "lr=0.02,b1=0.9,b2=0,eps=1e-8", "amsgrad_rosenbrock"),
                Arguments.of("amsgrad", "lr=0.05,b1=0.9,b2=0,eps=1e-8", "amsgrad_mlp"),
                Arguments.of("adamax", "lr=0.02,b1=0.9,b2=0.999,eps=1e-8", "adamax_rosenbrock"),
                Arguments.of("adamax", "lr=0.05,b1=0.9,b2=0.999,eps=1e-8", "adamax_mlp"),
                // b1=0: the only setting where torch 1.13's NAdam equals optax's nadam
                Arguments.of("nadam", "lr=0.02,b1=0,b2=0.999,eps=1e-8", "nadam_b1_0_rosenbrock"),
                Arguments.of("nadam", "lr=0.05,b1=0,b2=0.999,eps=1e-8", "nadam_b1_0_mlp"),
                Arguments.of("radam", "lr=1e-3,b1=0.9,b2=0.999,eps=0", "radam_rosenbrock"),
                Arguments.of("radam", "lr=0.05,b1=0.9,b2=0.999,eps=0", "radam_mlp"),
                Arguments.of("adagrad", "lr=0.1,initial_accumulator_value=0.1,eps=0", "adagrad_rosenbrock"),
                Arguments.of("adagrad", "lr=0.1,initial_accumulator_value=0.1,eps=0", "adagrad_mlp"),
                Arguments.of("adadelta", "lr=1,rho=0.9,eps=1e-6", "adadelta_rosenbrock"),
                Arguments.of("adadelta", "lr=1,rho=0.9,eps=1e-6", "adadelta_mlp"));
    }

    /**
     * Configurations that torch 1.13 cannot be set to reproduce (kept as documentation; each
     * file's {@code note} says why): amsgrad with b2 ≠ 0, nadam with b1 ≠ 0.
     */
    static final Set<String> NOT_EQUAL = Set.of(
            "amsgrad_b2_0999_rosenbrock", "amsgrad_b2_0999_mlp", "nadam_rosenbrock", "nadam_mlp");

    @ParameterizedTest(name = "{2}: {0}({1})")
    @MethodSource("rows")
    void optimizersMatchTorch(String optimizer, String hyperparameters, String resource) {
        check(optimizer, hyperparameters, resource);
    }

    @ParameterizedTest(name = "{2}: {0}({1})")
    @MethodSource("pendingRows")
    void pendingOptimizersMatchTorch(String optimizer, String hyperparameters, String resource) {
        check(optimizer, hyperparameters, resource);
    }

    /** Every resource file is listed exactly once, and is well formed. */
    @Test
    void everyResourceIsListed() throws IOException {
        List<String> listed = new ArrayList<>();
        Stream.concat(rows(), pendingRows()).forEach(a -> listed.add((String) a.get()[2]));
        listed.addAll(NOT_EQUAL);
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "a resource is listed twice: " + listed);

        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(resourceDirectory())) {
            s.forEach(p -> files.add(p.getFileName().toString().replaceFirst("\\.json$", "")));
        }
        assertEquals(new TreeSet<>(listed), files);
        for (String name : files) {
            Reference ref = Reference.load(name);
            assertEquals(!NOT_EQUAL.contains(name), ref.equal(), name + ": \"equal\" flag");
            if (!ref.equal()) {
                assertFalse(ref.note().isBlank(), name + " must say why torch differs");
            }
            assertEquals(ref.steps(), ref.trajectory().size(), name);
            for (double[] row : ref.trajectory()) {
                assertEquals(ref.initial().length, row.length, name);
            }
        }
    }

    // ================================================================ the comparison

    private static void check(String optimizer, String hyperparameters, String resource) {
        Reference ref = Reference.load(resource);
        assertTrue(ref.equal(), resource + " is marked as not reproducible: " + ref.note());
        assertEquals(optimizer, ref.descentOptimizer(), resource + ": table and JSON disagree on the optimizer");
        assertEquals(OptimizerRegistry.parse(hyperparameters), OptimizerRegistry.parse(ref.descentHyperparameters()),
                resource + ": table and JSON disagree on the hyperparameters");

        Problem problem = switch (ref.problem()) {
            case "rosenbrock" -> new Rosenbrock(ref);
            case "mlp" -> new Mlp(ref);
            default -> throw new AssertionError("unknown problem " + ref.problem());
        };
        assertEquals(ref.names(), problem.params().names(), resource + ": parameter names");
        assertClose(ref.initial(), flatten(problem.params()), resource, "initial parameters");

        Optimizer opt = new Optimizer(OptimizerRegistry.create(optimizer, hyperparameters), problem.params());
        for (int step = 0; step < ref.steps(); step++) {
            opt.zeroGrad();
            double loss = problem.lossAndGradients();
            assertClose(new double[] {ref.losses()[step]}, new double[] {loss}, resource, "loss before step " + (step + 1));
            opt.step();
            assertClose(ref.trajectory().get(step), flatten(problem.params()), resource, "after step " + (step + 1));
        }
    }

    private static void assertClose(double[] expected, double[] actual, String resource, String where) {
        assertEquals(expected.length, actual.length, resource + " " + where);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(a - e) <= RTOL * Math.abs(e) + ATOL)) {
                fail(resource + " " + where + ", element " + i + ": torch " + e + ", descent " + a
                        + " (relative difference " + Math.abs(a - e) / Math.abs(e) + ")");
            }
        }
    }

    private static double[] flatten(Params params) {
        int n = (int) params.elementCount(), k = 0;
        double[] out = new double[n];
        for (Tensor t : params.tensors()) {
            for (double v : t.toDoubleArray()) {
                out[k++] = v;
            }
        }
        return out;
    }

    // ================================================================ the problems

    /** Parameters and a loss; {@link #lossAndGradients()} sets every parameter's gradient. */
    private interface Problem {
        Params params();

        double lossAndGradients();
    }

    /** {@code f(x, y) = (1 − x)² + 100(y − x²)²} over one parameter {@code xy [2]}. */
    private static final class Rosenbrock implements Problem {
        private final Tensor xy;
        private final Params params;

        Rosenbrock(Reference ref) {
            xy = tensor(ref.initialValues().get(0), ref.shapes().get(0));
            params = new Params(List.of("xy"), List.of(xy));
        }

        @Override
        public Params params() {
            return params;
        }

        @Override
        public double lossAndGradients() {
            double x = xy.get(0), y = xy.get(1), r = y - x * x;
            double dx = -2 * (1 - x) - 400 * x * r, dy = 200 * r;
            xy.setGrad(tensor(new double[] {dx, dy}, new int[] {2}));
            return (1 - x) * (1 - x) + 100 * r * r;
        }
    }

    /** {@code Linear(4,3) → tanh → Linear(3,2)}, mean softmax cross-entropy on a fixed batch. */
    private static final class Mlp implements Problem {
        private final Sequential model;
        private final Tensor inputs;
        private final int[] labels;
        private final Params params;

        Mlp(Reference ref) {
            assertEquals("tanh", ref.doc().get("activation"));
            model = new Sequential(new Linear(4, 3, new SplittableRandom(1)), Activation.tanh(),
                    new Linear(3, 2, new SplittableRandom(2)));
            model.to(DType.FLOAT64);
            for (int k = 0; k < ref.names().size(); k++) {
                model.setParameter(ref.names().get(k), tensor(ref.initialValues().get(k), ref.shapes().get(k)));
            }
            List<?> rows = (List<?>) ref.doc().get("inputs");
            int n = rows.size(), d = ((List<?>) rows.get(0)).size();
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                List<?> row = (List<?>) rows.get(i);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = Json.toDouble(row.get(j));
                }
            }
            inputs = tensor(x, new int[] {n, d});
            labels = Json.toIntArray(ref.doc().get("labels"));
            params = Params.of(model.namedParameters());
            for (Tensor p : params.tensors()) {
                assertEquals(DType.FLOAT64, p.dtype());
            }
        }

        @Override
        public Params params() {
            return params;
        }

        @Override
        public double lossAndGradients() {
            Tensor loss = model.forward(inputs).softmaxCrossEntropy(labels);
            loss.backward();
            return loss.item();
        }
    }

    private static Tensor tensor(double[] values, int[] shape) {
        return Tensor.of(values, shape).to(DType.FLOAT64);
    }

    // ================================================================ the reference files

    /** One JSON reference file (see {@code scripts/reference/torch_optimizers.py}). */
    record Reference(Map<String, Object> doc, String problem, boolean equal, String note, String descentOptimizer,
                     String descentHyperparameters, int steps, List<String> names, List<int[]> shapes,
                     List<double[]> initialValues, double[] losses, List<double[]> trajectory) {

        /** Reads {@code torch/<name>.json} next to this class. */
        @SuppressWarnings("unchecked")
        static Reference load(String name) {
            String text;
            try (InputStream in = TorchReferenceTest.class.getResourceAsStream("torch/" + name + ".json")) {
                assertNotNull(in, "missing resource dev/descent/optim/torch/" + name + ".json");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> doc = Json.parseObject(text);
            Map<String, Object> descent = (Map<String, Object>) doc.get("descent");
            List<String> names = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            List<double[]> initial = new ArrayList<>();
            for (Object o : (List<Object>) doc.get("parameters")) {
                Map<String, Object> p = (Map<String, Object>) o;
                names.add((String) p.get("name"));
                shapes.add(Json.toIntArray(p.get("shape")));
                initial.add(doubles(p.get("values")));
            }
            List<double[]> trajectory = new ArrayList<>();
            for (Object row : (List<Object>) doc.get("trajectory")) {
                trajectory.add(doubles(row));
            }
            return new Reference(doc, (String) doc.get("problem"), (Boolean) doc.get("equal"), (String) doc.get("note"),
                    (String) descent.get("optimizer"), (String) descent.get("hyperparameters"),
                    (int) Json.toDouble(doc.get("steps")), names, shapes, initial,
                    doubles(doc.get("loss_before_step")), trajectory);
        }

        /** All initial parameter values, concatenated in order. */
        double[] initial() {
            return initialValues.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        }

        private static double[] doubles(Object list) {
            return ((List<?>) list).stream().mapToDouble(Json::toDouble).toArray();
        }
    }

    private static Path resourceDirectory() {
        try {
            return Path.of(TorchReferenceTest.class.getResource("torch").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
