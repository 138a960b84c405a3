package dev.descent.cli.tune;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {

    @Test
    void parsesEveryKindInOrder() {
        SearchSpace s = SearchSpace.parse("""
                {"lr": {"log_uniform": [1e-4, 1e-2]}, "epochs": {"int": [2, 4]}, "layers": {"choice": ["64", "128,64"]},
                 "dropout": {"uniform": [0, 0.5], "when": {"layers": "128,64"}}, "optimizer": "adam", "stratify": true}""");
        assertEquals(List.of("lr", "epochs", "layers", "dropout", "optimizer", "stratify"),
                s.parameters().stream().map(SearchSpace.Parameter::name).toList());
        assertEquals(new SearchSpace.Range(1e-4, 1e-2, true), s.parameters().get(0).domain());
        assertEquals(new SearchSpace.IntRange(2, 4), s.parameters().get(1).domain());
        assertEquals(new SearchSpace.Fixed("adam"), s.parameters().get(4).domain());
        assertEquals(4, s.varying().size());
        assertEquals("layers", s.parameters().get(3).parent());
    }

    @Test
    void samplesStayInTheirDomainsAndConditionsHold() {
        SearchSpace s = SearchSpace.parse("""
                {"lr": {"log_uniform": [1e-4, 1e-2]}, "epochs": {"int": [2, 4]}, "layers": {"choice": ["64", "128,64"]},
                 "dropout": {"uniform": [0, 0.5], "when": {"layers": ["128,64"]}}}""");
        SplittableRandom rng = new SplittableRandom(1);
        int belowGeometricMean = 0;
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> c = s.sample(rng);
            double lr = (Double) c.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-2);
            belowGeometricMean += lr < 1e-3 ? 1 : 0;                       // log-uniform: half below √(a·b)
            long epochs = (Long) c.get("epochs");
            assertTrue(epochs >= 2 && epochs <= 4);
            assertEquals(c.get("layers").equals("128,64"), c.containsKey("dropout"));
        }
        assertEquals(1000, belowGeometricMean, 80);
    }

    @Test
    void theGridEnumeratesChoicesAndSpacesRanges() {
        SearchSpace s = SearchSpace.parse("""
                {"lr": {"log_uniform": [1e-4, 1e-2]}, "layers": {"choice": ["64", "128,64"]},
                 "dropout": {"uniform": [0, 0.5], "when": {"layers": ["128,64"]}}, "batch-size": {"int": [32, 34]}}""");
        List<Map<String, Object>> grid = s.grid(3);
        assertEquals(3 * (1 + 3) * 3, grid.size());
        assertEquals(List.of(1e-4, 1e-3, 1e-2), SearchSpace.gridValues(s.parameters().get(0).domain(), 3).stream()
                .map(v -> Math.round((Double) v * 1e6) / 1e6).toList());
        assertEquals(List.of(0.0, 0.25, 0.5), SearchSpace.gridValues(s.parameters().get(2).domain(), 3));
        assertEquals(List.of(32L, 33L, 34L), SearchSpace.gridValues(s.parameters().get(3).domain(), 3));
        assertEquals(grid.size(), Set.copyOf(grid).size());
    }

    @Test
    void configurationsBecomeTrainArguments() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("lr", 0.001);
        c.put("batch-size", 128L);
        c.put("layers", "512,256");
        c.put("stratify", true);
        c.put("output-init", false);
        c.put("epochs", 15.0);
        assertEquals(List.of("--lr", "0.001", "--batch-size", "128", "--layers", "512,256", "--stratify", "--epochs", "15"),
                SearchSpace.arguments(c));
    }

    @Test
    void mistakesAreOneLineErrorsThatSayWhatToDo() {
        assertError("{}", "the search space is empty");
        assertError("[1, 2]", "expected a JSON object");
        assertError("{\"lr\": {\"log_uniform\": [1e-2, 1e-4]}}", "'lr': log_uniform needs [low, high] with low < high and low > 0");
        assertError("{\"lr\": {\"uniform\": [\"a\", 1]}}", "'lr': uniform needs numbers");
        assertError("{\"epochs\": {\"int\": [1.5, 3]}}", "'epochs': int needs [low, high], two whole numbers");
        assertError("{\"lr\": {\"choice\": []}}", "'lr': choice needs a list of values");
        assertError("{\"lr\": {\"normal\": [0, 1]}}", "unknown kind 'normal'");
        assertError("{\"lr\": {\"when\": {\"x\": [1]}}}", "its condition names 'x'");
        assertError("{\"a\": {\"choice\": [1]}, \"lr\": {\"choice\": [1], \"when\": {\"a\": [1], \"b\": [2]}}}", "\"when\" needs one condition");
        assertError("{\"lr\": {\"choice\": [1]}, \"x\": {\"uniform\": [0, 1], \"when\": {\"lr\": [1]}}, \"y\": {}}", "'y': say how to draw it");
        assertError("{\"out\": \"x\"}", "'out' is set by descent tune itself");
        assertError("{\"--lr\": 1}", "'--lr' is not a descent train option name");
        assertError("{\"lr\": null}", "'lr': give a value or an object");
    }

    @Test
    void boundsThatWouldOverflowWhenDrawingAreRefused() {
        assertError("{\"epochs\": {\"int\": [-9223372036854775808, 9223372036854775807]}}",
                "'epochs': int needs [low, high], two whole numbers with low ≤ high within ±2^53");
        assertError("{\"epochs\": {\"int\": [-92233720368547758082, 4]}}", "within ±2^53");
        assertError("{\"x\": {\"uniform\": [-1e308, 1e308]}}",
                "'x': uniform needs [low, high] with low < high and high − low below 1.8e308");
        SearchSpace widest = SearchSpace.parse("{\"n\": {\"int\": [-9007199254740992, 9007199254740992]},"
                + " \"x\": {\"uniform\": [-8e307, 8e307]}}");
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 100; i++) {
            Map<String, Object> c = widest.sample(rng);
            assertTrue(Math.abs((Long) c.get("n")) <= 9007199254740992L && Double.isFinite((Double) c.get("x")), c::toString);
        }
    }

    @Test
    void aMissingFileIsNamed() {
        DescentException e = assertThrows(DescentException.class, () -> SearchSpace.read(Path.of("/no/such/space.json")));
        assertTrue(e.getMessage().startsWith("cannot read the search space /no/such/space.json"), e.getMessage());
    }

    private static void assertError(String json, String expected) {
        DescentException e = assertThrows(DescentException.class, () -> SearchSpace.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
