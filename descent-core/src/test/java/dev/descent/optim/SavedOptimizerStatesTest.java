package dev.descent.optim;

import dev.descent.io.Json;
import dev.descent.io.StateCodec;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Optimizer states saved by earlier versions still resume: for every case below (each command-line
 * optimizer with its defaults and with a few settings, and the Java API's forms), three updates on a
 * fixed problem must give the state recorded in {@code states-before-table.json} — the same
 * checkpoint names ({@link StateCodec} paths), the same scalars and the same tensors — and that
 * recorded state must restore into the optimizer's fresh state. Tensors agree bit for bit except
 * Adam's second moment in double precision: its rule is now written once for float and double
 * ({@link ScaleByAdam}), rounding {@code (1 − b2)·(g·g)} as optax does where the old double kernel
 * rounded {@code ((1 − b2)·g)·g}, so values may differ by a few units in the last place
 * ({@link #ULPS}). The file was written by
 * {@link #main} from the code before the optimizer table (commit 09c114d); never regenerate it to make
 * this test pass: a difference means checkpoints saved by that version no longer resume identically.
 */
class SavedOptimizerStatesTest {
    private static final String RESOURCE = "states-before-table.json";
    private static final int UPDATES = 3;
    /** Units in the last place a recorded tensor value may differ by (Adam's g² rounding, see above). */
    private static final int ULPS = 4;

    /** Case name → optimizer. Names given with the old spellings (max_lr, wd, seed) as saved then. */
    static Map<String, Supplier<GradientTransformation>> cases() {
        Map<String, Supplier<GradientTransformation>> c = new LinkedHashMap<>();
        for (String name : List.of("adabelief", "adadelta", "adafactor", "adagrad", "adam", "adamax", "adamaxw",
                "adamw", "adan", "amsgrad", "fromage", "lamb", "lars", "lbfgs", "lion", "momentum", "nadam", "nadamw",
                "noisy_sgd", "novograd", "optimistic_adam", "optimistic_gradient_descent", "polyak_sgd", "radam",
                "rmsprop", "sgd", "sign_sgd", "sm3", "yogi")) {
            c.put(name, () -> OptimizerRegistry.create(name, Map.of()));
        }
        c.put("sgd lr=0.1,momentum=0.9,nesterov=1,weight_decay=0.01",
                () -> OptimizerRegistry.create("sgd", "lr=0.1,momentum=0.9,nesterov=1,weight_decay=0.01"));
        c.put("adam weight_decay=0.1", () -> OptimizerRegistry.create("adam", "weight_decay=0.1"));
        c.put("rmsprop centered=1,momentum=0.9,eps_in_sqrt=0",
                () -> OptimizerRegistry.create("rmsprop", "centered=1,momentum=0.9,eps_in_sqrt=0"));
        c.put("lamb wd=0.1", () -> OptimizerRegistry.create("lamb", "wd=0.1"));
        c.put("lars wd=0.1,nesterov=1", () -> OptimizerRegistry.create("lars", "wd=0.1,nesterov=1"));
        c.put("adan wd=0.1", () -> OptimizerRegistry.create("adan", "wd=0.1"));
        c.put("novograd wd=0.1", () -> OptimizerRegistry.create("novograd", "wd=0.1"));
        c.put("polyak_sgd max_lr=0.5", () -> OptimizerRegistry.create("polyak_sgd", "max_lr=0.5"));
        c.put("noisy_sgd seed=7", () -> OptimizerRegistry.create("noisy_sgd", "seed=7"));
        c.put("lbfgs linesearch=0", () -> OptimizerRegistry.create("lbfgs", "linesearch=0"));
        c.put("adafactor lr=0.1,min_dim_size_to_factor=2,momentum=0.9",
                () -> OptimizerRegistry.create("adafactor", "lr=0.1,min_dim_size_to_factor=2,momentum=0.9"));
        c.put("adamw cosine", () -> OptimizerRegistry.create("adamw", Map.of(),
                Schedule.cosineDecay(1, 10, 0, 1)));
        // the Java API
        c.put("Optimizers.sgd(0.1)", () -> Optimizers.sgd(0.1));
        c.put("Optimizers.sgd(0.1, 0.9, true)", () -> Optimizers.sgd(0.1, 0.9, true));
        c.put("Optimizers.momentum(0.1, 0.9)", () -> Optimizers.momentum(0.1, 0.9));
        c.put("Optimizers.rmsprop(0.01)", () -> Optimizers.rmsprop(0.01));
        c.put("Optimizers.rmsprop(0.01, 0.9, 1e-8, false, 0.9, true)",
                () -> Optimizers.rmsprop(0.01, 0.9, 1e-8, false, 0.9, true));
        c.put("Optimizers.rmsprop(centered)",
                () -> Optimizers.rmsprop(Schedule.constant(0.01), 0.9, 1e-8, true, true, 0.9, false));
        c.put("Optimizers.adam(0.1)", () -> Optimizers.adam(0.1));
        c.put("Optimizers.adam(schedule)",
                () -> Optimizers.adam(Schedule.exponentialDecay(0.1, 10, 0.5), 0.9, 0.999, 1e-8, 1e-10));
        c.put("Optimizers.adamw(0.1)", () -> Optimizers.adamw(0.1));
        c.put("Optimizers.nadam(0.1)", () -> Optimizers.nadam(0.1));
        c.put("Optimizers.nadamw(0.1)", () -> Optimizers.nadamw(0.1));
        c.put("Optimizers.amsgrad(0.1)", () -> Optimizers.amsgrad(0.1));
        c.put("Optimizers.adabelief(0.1)", () -> Optimizers.adabelief(0.1));
        c.put("Optimizers.adamax(0.1)", () -> Optimizers.adamax(0.1));
        c.put("Optimizers.adamaxw(0.1)", () -> Optimizers.adamaxw(0.1));
        c.put("Optimizers.radam(0.1)", () -> Optimizers.radam(0.1));
        c.put("Optimizers.yogi(0.1)", () -> Optimizers.yogi(0.1));
        c.put("Optimizers.adagrad(0.1)", () -> Optimizers.adagrad(0.1));
        c.put("Optimizers.adadelta(1)", () -> Optimizers.adadelta(1));
        c.put("Optimizers.lion(0.01)", () -> Optimizers.lion(0.01));
        c.put("Optimizers.signSgd(0.1)", () -> Optimizers.signSgd(0.1));
        c.put("Optimizers.noisySgd(0.1)", () -> Optimizers.noisySgd(0.1));
        c.put("Optimizers.lamb(0.1)", () -> Optimizers.lamb(0.1));
        c.put("Optimizers.lamb(masked)", () -> Optimizers.lamb(Schedule.constant(0.1), 0.9, 0.999, 1e-6, 0, 0.1,
                name -> name.equals("w")));
        c.put("Optimizers.lars(0.1)", () -> Optimizers.lars(0.1));
        c.put("Optimizers.lars(masked)", () -> Optimizers.lars(Schedule.constant(0.1), 0.1, name -> name.equals("w"),
                0.001, 0, name -> name.equals("w"), 0.9, true));
        c.put("Optimizers.fromage(0.1)", () -> Optimizers.fromage(0.1));
        c.put("Optimizers.adan(0.1)", () -> Optimizers.adan(0.1));
        c.put("Optimizers.novograd(0.1)", () -> Optimizers.novograd(0.1));
        c.put("Optimizers.optimisticGradientDescent(0.1)", () -> Optimizers.optimisticGradientDescent(0.1));
        c.put("Optimizers.optimisticAdam(0.1)", () -> Optimizers.optimisticAdam(0.1));
        c.put("Optimizers.optimisticAdamV2", () -> Optimizers.optimisticAdamV2(Schedule.constant(0.1), 1, 0.5, 0.9,
                0.999, 1e-8, 0, true));
        c.put("Optimizers.polyakSgd(0)", () -> Optimizers.polyakSgd(0));
        c.put("Optimizers.sm3(0.1)", () -> Optimizers.sm3(0.1));
        c.put("Optimizers.adafactor()", Optimizers::adafactor);
        c.put("Optimizers.adafactor(0.1)", () -> Optimizers.adafactor(0.1));
        c.put("Optimizers.adafactor(all)", () -> Optimizers.adafactor(Schedule.constant(0.1), 2, 0.8, 0, true, 1, 0.9,
                0.01, 1e-30, true, name -> name.equals("w")));
        c.put("Optimizers.lbfgs()", Optimizers::lbfgs);
        c.put("Optimizers.lbfgs(0.1, 3, true, null)", () -> Optimizers.lbfgs(Schedule.constant(0.1), 3, true, null));
        return c;
    }

    // ---- the problem: f(w, b) = Σ ½·a_i·(x_i − c_i)² over w [2×3] and b [1]

    private static final double[] A = {1, 2, 0.5, 3, 1.5, 0.25, 4};
    private static final double[] C = {0.5, -1, 2, 0.25, -0.75, 1, -0.5};

    private static Params params(double[] x) {
        return new Params(List.of("w", "b"), List.of(Tensor.of(new double[] {x[0], x[1], x[2], x[3], x[4], x[5]}, 2, 3),
                Tensor.of(new double[] {x[6]}, 1)));
    }

    private static double[] flat(Params p) {
        double[] w = p.get(0).toDoubleArray();
        return new double[] {w[0], w[1], w[2], w[3], w[4], w[5], p.get(1).item()};
    }

    private static final ObjectiveFunction OBJECTIVE = new ObjectiveFunction() {
        @Override
        public double applyAsDouble(Params at) {
            double[] x = flat(at);
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                f += 0.5 * A[i] * (x[i] - C[i]) * (x[i] - C[i]);
            }
            return f;
        }

        @Override
        public Params gradient(Params at) {
            double[] x = flat(at), g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = A[i] * (x[i] - C[i]);
            }
            return params(g);
        }
    };

    /** The state after {@link #UPDATES} updates from x = 0. */
    private static OptState run(GradientTransformation tx) {
        Params p = params(new double[7]);
        OptState state = tx.init(p);
        for (int s = 0; s < UPDATES; s++) {
            GradientTransformation.Update r = tx.update(OBJECTIVE.gradient(p), state, p,
                    new UpdateContext(s, OBJECTIVE.applyAsDouble(p), OBJECTIVE));
            for (int k = 0; k < p.size(); k++) {
                p.get(k).addInPlace(r.updates().get(k));
            }
            state = r.state();
        }
        return state;
    }

    private static Map<String, Object> record(OptState state) {
        StateCodec.Flat flat = StateCodec.flatten(state);
        Map<String, Object> tensors = new LinkedHashMap<>();
        flat.tensors().forEach((name, t) -> {
            List<Double> values = new ArrayList<>();
            for (double v : t.toDoubleArray()) {
                values.add(v);
            }
            tensors.put(name, values);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scalars", flat.scalars());
        out.put("tensors", tensors);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> statesMatchThoseSavedBeforeTheTable() throws IOException {
        Map<String, Object> saved;
        try (InputStream in = SavedOptimizerStatesTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE);
            saved = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(saved.keySet(), cases().keySet());
        return cases().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> expected = (Map<String, Object>) saved.get(e.getKey());
            OptState state = run(e.getValue().get());
            Map<String, Tensor> computed = StateCodec.flatten(state).tensors();
            Map<String, Object> actual = Json.parseObject(Json.write(record(state)));
            assertEquals(expected.get("scalars"), actual.get("scalars"), "scalars");
            @SuppressWarnings("unchecked")
            Map<String, List<Object>> want = (Map<String, List<Object>>) expected.get("tensors");
            @SuppressWarnings("unchecked")
            Map<String, List<Object>> got = (Map<String, List<Object>>) actual.get("tensors");
            assertEquals(want.keySet(), got.keySet(), "tensor names");
            want.forEach((name, values) -> {
                double[] w = doubles(values), g = doubles(got.get(name));
                assertEquals(w.length, g.length, name);
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], g[i], ULPS * Math.ulp(w[i]), name + "[" + i + "]");
                }
            });

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            want.forEach((name, values) -> tensors.put(name, Tensor.of(doubles(values), computed.get(name).dims())));
            @SuppressWarnings("unchecked")
            Map<String, Object> scalars = (Map<String, Object>) expected.get("scalars");
            GradientTransformation fresh = e.getValue().get();
            StateCodec.restore(fresh.init(params(new double[7])), tensors, scalars);
        }));
    }

    private static double[] doubles(List<Object> values) {
        return values.stream().mapToDouble(Json::toDouble).toArray();
    }

    /** Writes the fixture: {@code main(path)}; run once, on the code whose states it records. */
    public static void main(String[] args) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        cases().forEach((name, tx) -> out.put(name, record(run(tx.get()))));
        Files.writeString(Path.of(args[0]), Json.pretty(out));
    }
}
