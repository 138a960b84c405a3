package dev.descent.optim;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizer table's entry points: names, defaults, training learning rates, the spellings and
 * values copied from optax and PyTorch, one-line errors, the help listing, and the typed Java API
 * built from the same rows. (Each row's numbers are checked by {@link OptimizerTableTest}.)
 */
class OptimizerRegistryTest {
    /** optax's own weight_decay argument (decoupled; adadelta's added before the scaling). */
    private static final List<String> OPTAX_WEIGHT_DECAY = List.of("adabelief", "adadelta", "adamaxw", "adamw",
            "adan", "lamb", "lars", "lion", "nadamw", "novograd");
    /** PyTorch's weight_decay (L2 on the gradient) for these, which optax gives none. */
    private static final List<String> PYTORCH_L2 = List.of("adagrad", "adam", "adamax", "amsgrad", "momentum", "nadam",
            "radam", "rmsprop", "sgd");

    private static final Params P = new Params(List.of("w", "b"),
            List.of(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.of(new double[] {0.5}, 1)));

    /** The updates of two steps of {@code tx} on {@link #P} with a fixed gradient, flattened. */
    private static double[] twoUpdates(GradientTransformation tx) {
        Params p = P.copy();
        Params g = p.map(t -> Tensor.full(t.dtype(), t.shape(), 0.25));
        GradientTransformation.Update first = tx.update(g.copy(), tx.init(p), p, UpdateContext.of(0, 1.5));
        GradientTransformation.Update second = tx.update(g.copy(), first.state(), p, UpdateContext.of(1, 1.5));
        return new double[] {first.updates().get(0).toDoubleArray()[0], first.updates().get(1).item(),
                second.updates().get(0).toDoubleArray()[0], second.updates().get(1).item()};
    }

    private static void assertSameOptimizer(GradientTransformation expected, GradientTransformation actual) {
        assertArrayEquals(twoUpdates(expected), twoUpdates(actual), 0);
    }

    @Test
    void describeWritesFlagsAsBooleansAndNumbersShort() {
        Map<String, Double> adam = OptimizerRegistry.effectiveSettings("adam", Map.of("nesterov", 1.0));
        assertEquals("{lr=0.001, b1=0.9, b2=0.999, eps=1e-8, eps_root=0, nesterov=true, weight_decay=0}",
                OptimizerRegistry.describe("adam", adam));
    }

    @Test
    void listsNamesAndDefaults() {
        assertTrue(OptimizerRegistry.names().containsAll(List.of("adam", "momentum", "rmsprop", "sgd", "adabelief",
                "adadelta", "adagrad", "adamax", "adamaxw", "adamw", "amsgrad", "lion", "nadam", "nadamw", "noisy_sgd",
                "radam", "sign_sgd", "yogi", "lamb", "lars", "fromage", "adan", "novograd",
                "optimistic_gradient_descent", "optimistic_adam", "polyak_sgd", "sm3", "adafactor", "lbfgs")),
                OptimizerRegistry.names().toString());
        assertEquals(OptimizerRegistry.names().stream().sorted().toList(), OptimizerRegistry.names());
        assertEquals(OptimizerRegistry.names(), OptimizerRegistry.rows().stream().map(OptimizerRegistry.Row::name).toList());
        assertEquals(Map.of("lr", 1e-3, "b1", 0.9, "b2", 0.999, "eps", 1e-8, "eps_root", 0.0, "nesterov", 0.0,
                "weight_decay", 0.0), OptimizerRegistry.defaults("adam"));
        // optax's defaults, with the rate optax's tests use (§8.1), which create() and `descent optimize` use
        assertEquals(Map.of("lr", 0.1, "b1", 0.9, "b2", 0.999, "eps", 1e-8, "eps_root", 0.0, "weight_decay", 1e-4,
                "nesterov", 0.0), OptimizerRegistry.defaults("adamw"));
        assertEquals(Map.of("lr", 1e-2, "b1", 0.9, "b2", 0.99, "weight_decay", 1e-3), OptimizerRegistry.defaults("lion"));
        assertEquals(1e-7, OptimizerRegistry.defaults("rmsprop").get("eps"));
        assertEquals(0.0, OptimizerRegistry.defaults("rmsprop").get("centered"));
        assertEquals(1e-3, OptimizerRegistry.defaults("yogi").get("eps"));
        assertEquals(1.0, OptimizerRegistry.defaults("adadelta").get("lr")); // optax: None (ascent); PyTorch's 1
        assertEquals(0.25, OptimizerRegistry.defaults("novograd").get("b2"));
        assertEquals(0.98, OptimizerRegistry.defaults("adan").get("b1"));
        assertEquals(0.001, OptimizerRegistry.defaults("lars").get("trust_coefficient"));
        assertEquals(0.8, OptimizerRegistry.defaults("adafactor").get("decay_rate"));
        for (String name : OptimizerRegistry.names()) {
            assertTrue(OptimizerRegistry.defaults(name).containsKey("lr"), name);
            assertTrue(OptimizerRegistry.defaults(name).containsKey("weight_decay"), name);
        }
    }

    @Test
    void trainingLearningRatesArePyTorchsOrKeras() {
        Map<String, Double> expected = Map.of("adam", 1e-3, "adamw", 1e-3, "amsgrad", 1e-3, "nadam", 1e-3,
                "radam", 1e-3, "adamax", 2e-3, "sgd", 0.01, "rmsprop", 1e-3, "adagrad", 0.01, "adadelta", 1.0);
        expected.forEach((name, lr) -> assertEquals(lr, OptimizerRegistry.trainingLearningRate(name), name));
        for (OptimizerRegistry.Row row : OptimizerRegistry.rows()) {
            assertTrue(row.trainingLearningRate() > 0 && row.trainingLearningRate() <= 1, row.name());
        }
        assertEquals(Map.of("lr", 1e-3), OptimizerRegistry.trainingSettings("adamw", Map.of()));
        assertEquals(Map.of("lr", 0.5, "b1", 0.8), OptimizerRegistry.trainingSettings("adamw",
                OptimizerRegistry.parse("learning_rate=0.5,b1=0.8")));
        assertEquals(Map.of("max_learning_rate", 0.1, "lr", 1.0), OptimizerRegistry.trainingSettings("polyak_sgd",
                OptimizerRegistry.parse("max_lr=0.1")));
        // what a checkpoint records: every hyperparameter under the row's names
        assertEquals(Map.of("lr", 1e-3, "max_learning_rate", 0.1, "f_min", 0.0, "eps", 0.0, "sps_plus", 0.0,
                "weight_decay", 0.0), OptimizerRegistry.effectiveSettings("polyak_sgd",
                OptimizerRegistry.parse("max_lr=0.1,learning_rate=1e-3")));
    }

    @Test
    void weightDecayIsOptaxsWhereOptaxHasItAndL2Elsewhere() {
        for (String name : OPTAX_WEIGHT_DECAY) {
            assertFalse(OptimizerRegistry.row(name).rule().endsWith("(weight_decay: L2)"), name);
        }
        for (String name : PYTORCH_L2) {
            assertTrue(OptimizerRegistry.row(name).rule().endsWith("(weight_decay: L2)"), name);
        }
        // sgd with lr 0.5 and L2 weight decay 0.1: u = −0.5·(g + 0.1·p) = −0.5·(1 + 0.2) = −0.6
        GradientTransformation tx = OptimizerRegistry.create("sgd", "lr=0.5, weight_decay=0.1");
        Params p = new Params(List.of("w"), List.of(Tensor.of(new double[] {2}, 1)));
        Params g = new Params(List.of("w"), List.of(Tensor.of(new double[] {1}, 1)));
        assertArrayEquals(new double[] {-0.6},
                tx.update(g, tx.init(p), p, UpdateContext.none()).updates().get(0).toDoubleArray(), 1e-15);
        // lamb's is optax's, inside the chain (earlier Descent spelled it wd)
        GradientTransformation lamb = Optimizers.lamb(Schedule.constant(0.01), 0.9, 0.999, 1e-6, 0, 0.1, null);
        assertSameOptimizer(lamb, OptimizerRegistry.create("lamb", "lr=0.01,weight_decay=0.1"));
        assertSameOptimizer(lamb, OptimizerRegistry.create("lamb", "lr=0.01,wd=0.1"));
    }

    @Test
    void acceptsTheSpellingsOfOptaxAndPyTorch() {
        assertSameOptimizer(OptimizerRegistry.create("adam", "lr=0.1"), OptimizerRegistry.create("adam", "learning_rate=0.1"));
        assertSameOptimizer(OptimizerRegistry.create("adam", "b1=0.8,b2=0.99"),
                OptimizerRegistry.create("adam", "betas=(0.8, 0.99)"));
        assertSameOptimizer(OptimizerRegistry.create("rmsprop", "decay=0.99"), OptimizerRegistry.create("rmsprop", "alpha=0.99"));
        assertSameOptimizer(OptimizerRegistry.create("polyak_sgd", "max_lr=0.5"),
                OptimizerRegistry.create("polyak_sgd", "max_learning_rate=0.5"));
        assertSameOptimizer(OptimizerRegistry.create("polyak_sgd", "lr=0.5"), OptimizerRegistry.create("polyak_sgd", "scaling=0.5"));
        assertSameOptimizer(OptimizerRegistry.create("noisy_sgd", "seed=3"), OptimizerRegistry.create("noisy_sgd", "key=3"));
        assertSameOptimizer(OptimizerRegistry.create("sgd", "momentum=0.9,nesterov=1"),
                OptimizerRegistry.create("sgd", "momentum=0.9,nesterov=true"));
        assertSameOptimizer(OptimizerRegistry.create("rmsprop", "centered=1,eps_in_sqrt=0"),
                OptimizerRegistry.create("rmsprop", "centered=True,eps_in_sqrt=False"));
        assertSameOptimizer(OptimizerRegistry.create("adamw", "nesterov=true"), OptimizerRegistry.create("nadamw", "lr=0.1"));
        // options optax has that earlier rows lacked
        assertSameOptimizer(Optimizers.nadam(Schedule.constant(1e-3), 0.9, 0.999, 1e-8, 0),
                OptimizerRegistry.create("adam", "nesterov=true"));
        assertFalse(Arrays.equals(twoUpdates(OptimizerRegistry.create("rmsprop", "")),
                twoUpdates(OptimizerRegistry.create("rmsprop", "initial_scale=1"))));
        assertFalse(Arrays.equals(twoUpdates(OptimizerRegistry.create("amsgrad", "")),
                twoUpdates(OptimizerRegistry.create("amsgrad", "bias_correction_nu=false"))));
    }

    @Test
    void parsesValuesAsWrittenInOptaxAndPyTorch() {
        assertEquals(Map.of("lr", 1e-3, "weight_decay", 0.01), OptimizerRegistry.parse("lr=1e-3,weight_decay=0.01"));
        assertEquals(Map.of(), OptimizerRegistry.parse(" "));
        assertEquals(Map.of("nesterov", 1.0, "centered", 0.0, "eps_in_sqrt", 1.0, "factored", 0.0),
                OptimizerRegistry.parse("nesterov=true, centered=False, eps_in_sqrt=True, factored=false"));
        assertEquals(Map.of("lr", 0.01, "b1", 0.9, "b2", 0.999), OptimizerRegistry.parse("lr=0.01,betas=(0.9, 0.999)"));
        assertEquals(Map.of("b1", 0.5, "b2", 0.6), OptimizerRegistry.parse("betas=[0.5,0.6]"));
        for (String bad : List.of("lr", "lr=", "=1", "lr=1,,b1=2", "lr=abc", "lr=NaN", "lr=1,lr=2", "lr=true",
                "momentum=False", "betas=(0.9)", "betas=0.9", "betas=(0.9,0.99,0.999)", "b1=0.8,betas=(0.9,0.99)",
                "betas=(0.9,x)")) {
            DescentException e = assertThrows(DescentException.class, () -> OptimizerRegistry.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(assertThrows(DescentException.class, () -> OptimizerRegistry.parse("lr=true")).getMessage()
                .contains("nesterov"));
    }

    @Test
    void reportsUnknownNamesAndBadValuesInOneLine() {
        assertEquals("unknown optimizer 'adma'; choose one of: " + String.join(", ", OptimizerRegistry.names()),
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("adma", Map.of())).getMessage());
        assertEquals("optimizer 'adam' has no hyperparameter 'lrate'; choose from: lr, b1, b2, eps, eps_root, nesterov,"
                        + " weight_decay (descent optimizers lists the other spellings)",
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("adam", "lrate=1")).getMessage());
        assertEquals("sgd: nesterov is a flag, got 2; use true or false (or 1 or 0)",
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("sgd", "nesterov=2")).getMessage());
        assertEquals("adam: lr is given twice, as lr and learning_rate; keep one",
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("adam", "lr=1,learning_rate=2"))
                        .getMessage());
        assertEquals("lamb: weight_decay is given twice, as wd and weight_decay; keep one",
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("lamb", "wd=1,weight_decay=2"))
                        .getMessage());
        assertTrue(assertThrows(DescentException.class, () -> OptimizerRegistry.create("noisy_sgd", "seed=1.5"))
                .getMessage().contains("key must be a whole number"));
        assertTrue(assertThrows(DescentException.class, () -> OptimizerRegistry.create("sgd", "betas=(0.9,0.99)"))
                .getMessage().startsWith("optimizer 'sgd' has no hyperparameter 'b1'"));
    }

    @Test
    void helpShowsEachHyperparameterWithItsSpellingsDefaultAndTheRule() {
        String help = OptimizerRegistry.describe();
        for (OptimizerRegistry.Row row : OptimizerRegistry.rows()) {
            assertTrue(help.contains("\n" + row.name() + "   train lr "), row.name());
            assertTrue(help.contains(row.rule()), row.name());
        }
        for (String item : List.of("lr/learning_rate=0.001", "decay/alpha=0.9", "max_learning_rate/max_lr=1",
                "weight_decay/wd=0", "key/seed=0", "nesterov=false", "eps_in_sqrt=true", "eps=1e-8", "b2=0.999",
                "adam   train lr 0.001", "adadelta   train lr 1")) {
            assertTrue(help.contains(item), item + " in\n" + help);
        }
        String adam = OptimizerRegistry.describe(List.of("adam"));
        assertTrue(adam.contains("\nadam   train lr 0.001\n") && !adam.contains("adamw"), adam);
        assertThrows(DescentException.class, () -> OptimizerRegistry.describe(List.of("adma")));
        assertEquals("1e-30", OptimizerRegistry.format(1e-30));
        assertEquals("1e-4", OptimizerRegistry.format(1e-4));
        assertEquals("0.001", OptimizerRegistry.format(1e-3));
        assertEquals("2.5e-5", OptimizerRegistry.format(2.5e-5));
        assertEquals("128", OptimizerRegistry.format(128));
    }

    @Test
    void everyRowMakesAFiniteDescentStepOnAMatrixAndAVector() {
        for (String name : OptimizerRegistry.names()) {
            // no objective is passed here, so lbfgs runs with a fixed step (its line search: OptimizerTableTest)
            GradientTransformation tx = OptimizerRegistry.create(name, name.equals("lbfgs") ? "linesearch=false" : "");
            Params g = P.map(t -> Tensor.full(t.dtype(), t.shape(), 0.25));
            Params u = tx.update(g, tx.init(P), P, UpdateContext.of(0, 1.5)).updates();
            for (Tensor t : u.tensors()) {
                for (double v : t.toDoubleArray()) {
                    assertTrue(Double.isFinite(v) && v <= 0, name + " gave " + v);
                }
            }
        }
    }

    @Test
    void theTypedJavaApiIsBuiltFromTheRows() {
        assertSameOptimizer(Optimizers.adam(0.01), OptimizerRegistry.create("adam", "lr=0.01"));
        assertSameOptimizer(Optimizers.adamw(Schedule.constant(0.01), 0.8, 0.99, 1e-7, 1e-9, 0.1),
                OptimizerRegistry.create("adamw", "lr=0.01,b1=0.8,b2=0.99,eps=1e-7,eps_root=1e-9,weight_decay=0.1"));
        assertSameOptimizer(Optimizers.rmsprop(0.01, 0.9, 1e-7), OptimizerRegistry.create("rmsprop", "lr=0.01"));
        assertSameOptimizer(Optimizers.sgd(0.1, 0.9, true), OptimizerRegistry.create("sgd", "lr=0.1,momentum=0.9,nesterov=1"));
        assertSameOptimizer(Optimizers.lars(Schedule.constant(0.1), 0.01, null, 0.002, 0, null, 0.8, true),
                OptimizerRegistry.create("lars", "lr=0.1,weight_decay=0.01,trust_coefficient=0.002,momentum=0.8,nesterov=1"));
        assertSameOptimizer(Optimizers.adafactor(), OptimizerRegistry.create("adafactor", ""));
        assertSameOptimizer(Optimizers.optimisticAdam(0.01), OptimizerRegistry.create("optimistic_adam", "lr=0.01"));
        assertSameOptimizer(Optimizers.noisySgd(Schedule.constant(0.1), 0.01, 0.55, 5),
                OptimizerRegistry.create("noisy_sgd", "lr=0.1,key=5"));
        // a mask leaves the other parameters undecayed: b moves by the plain LAMB step only
        double[] masked = twoUpdates(Optimizers.lamb(Schedule.constant(0.1), 0.9, 0.999, 1e-6, 0, 1, n -> n.equals("w")));
        double[] none = twoUpdates(Optimizers.lamb(Schedule.constant(0.1), 0.9, 0.999, 1e-6, 0, 0, null));
        double[] all = twoUpdates(Optimizers.lamb(Schedule.constant(0.1), 0.9, 0.999, 1e-6, 0, 1, null));
        assertEquals(none[1], masked[1]);
        assertEquals(all[0], masked[0]);
    }
}
