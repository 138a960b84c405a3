package dev.descent.optim;

import dev.descent.DescentException;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerRegistryTest {

    @Test
    void listsNamesAndDefaults() {
        assertTrue(OptimizerRegistry.names().containsAll(List.of("adam", "momentum", "rmsprop", "sgd")),
                OptimizerRegistry.names().toString());
        assertEquals(OptimizerRegistry.names().stream().sorted().toList(), OptimizerRegistry.names());
        assertEquals(Map.of("lr", 1e-3, "b1", 0.9, "b2", 0.999, "eps", 1e-8, "weight_decay", 0.0),
                OptimizerRegistry.defaults("adam"));
        assertEquals(1e-7, OptimizerRegistry.defaults("rmsprop").get("eps"));
        String help = OptimizerRegistry.describe();
        for (String name : OptimizerRegistry.names()) {
            assertTrue(help.contains(name), help);
        }
        assertTrue(help.contains("b2=0.999"), help);
    }

    @Test
    void createsWithOverrides() {
        // sgd with lr 0.5 and L2 weight decay 0.1: u = −0.5·(g + 0.1·p) = −0.5·(1 + 0.2) = −0.6
        GradientTransformation tx = OptimizerRegistry.create("sgd", "lr=0.5, weight_decay=0.1");
        Params p = new Params(List.of("w"), List.of(Tensor.of(new double[] {2}, 1)));
        Params g = new Params(List.of("w"), List.of(Tensor.of(new double[] {1}, 1)));
        assertArrayEquals(new double[] {-0.6},
                tx.update(g, tx.init(p), p, UpdateContext.none()).updates().get(0).toDoubleArray(), 1e-15);
        OptimizerRegistry.create("adam", Map.of());
        OptimizerRegistry.create("rmsprop", "eps_in_sqrt=0,momentum=0.9,nesterov=1");
    }

    @Test
    void reportsUnknownNamesAndHyperparameters() {
        assertEquals("unknown optimizer 'adma'; choose one of: " + String.join(", ", OptimizerRegistry.names()),
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("adma", Map.of())).getMessage());
        assertEquals("optimizer 'adam' has no hyperparameter 'lrate'; choose from: lr, b1, b2, eps, weight_decay",
                assertThrows(DescentException.class, () -> OptimizerRegistry.create("adam", "lrate=1")).getMessage());
        assertThrows(DescentException.class, () -> OptimizerRegistry.create("sgd", "nesterov=2"));
    }

    @Test
    void parsesHyperparameterLists() {
        assertEquals(Map.of("lr", 1e-3, "weight_decay", 0.01), OptimizerRegistry.parse("lr=1e-3,weight_decay=0.01"));
        assertEquals(Map.of(), OptimizerRegistry.parse(" "));
        for (String bad : List.of("lr", "lr=", "=1", "lr=1,,b1=2", "lr=abc", "lr=NaN", "lr=1,lr=2")) {
            DescentException e = assertThrows(DescentException.class, () -> OptimizerRegistry.parse(bad), bad);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
