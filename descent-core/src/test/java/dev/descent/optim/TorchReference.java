package dev.descent.optim;

import dev.descent.io.Json;
import dev.descent.nn.Activation;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reference trajectories of {@code torch.optim} (PyTorch 1.13.1) in float64, and their replay
 * through Descent's optimizers (used by {@link OptimizerTableTest}).
 *
 * <p>The files lie in {@code src/test/resources/dev/descent/optim/torch/}, one JSON file per
 * configuration and problem, written by {@code scripts/reference/torch_optimizers.py} (which
 * documents the torch settings chosen to make torch equal optax's rule; the tests need no Python).
 * Each names the Descent optimizer and hyperparameters it corresponds to. Problems: Rosenbrock
 * {@code (1−x)² + 100(y−x²)²} from (−1.2, 1), and a 4-3-2 tanh MLP with fixed weights and batch
 * (read from the JSON) under mean softmax cross-entropy. Each run makes 100 steps; after every step
 * every parameter must satisfy {@code |ours − torch| ≤ RTOL·|torch| + ATOL} with
 * {@code RTOL = 1e-5} and the absolute floor {@code ATOL = 1e-12}, which only matters for
 * parameters passing through zero (e.g. biases), where a relative bound alone would demand bit
 * equality. The loss before every step is held to the same bound (it checks the network's forward
 * pass). Measured worst relative differences over the 100 steps: ≤ 4e-15 on Rosenbrock, ≤ 1e-9 on
 * the MLP (rounding, amplified by training). Files marked {@code "equal": false} document
 * configurations torch 1.13 cannot be set to reproduce; their {@code note} says why.
 */
final class TorchReference {
    /** Relative tolerance per parameter and step. */
    static final double RTOL = 1e-5;
    /** Absolute floor added to the relative bound, for values near zero. */
    static final double ATOL = 1e-12;

    private TorchReference() {
    }

    // ================================================================ the comparison

    /**
     * Replays {@code resource} with the optimizer and hyperparameters it names and checks every step;
     * the file must be marked as reproducible and name {@code optimizer}.
     */
    static void check(String optimizer, String resource) {
        Reference ref = Reference.load(resource);
        assertTrue(ref.equal(), resource + " is marked as not reproducible: " + ref.note());
        assertEquals(optimizer, ref.descentOptimizer(), resource + ": the table row and the JSON disagree on the optimizer");
        String hyperparameters = ref.descentHyperparameters();

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
            try (InputStream in = TorchReference.class.getResourceAsStream("torch/" + name + ".json")) {
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

    /** The names of every reference file (without {@code .json}). */
    static Set<String> resources() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(resourceDirectory())) {
            s.forEach(p -> files.add(p.getFileName().toString().replaceFirst("\\.json$", "")));
        }
        return files;
    }

    private static Path resourceDirectory() {
        try {
            return Path.of(TorchReference.class.getResource("torch").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
