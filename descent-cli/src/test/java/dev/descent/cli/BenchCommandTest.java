package dev.descent.cli;

import dev.descent.io.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code descent bench}: the JSON lines it prints and its errors (no timing is asserted). */
class BenchCommandTest {

    @Test
    void printsOneJsonLinePerConfiguration() {
        CliTest.Run r = CliTest.run("bench", "--config", "1", "--samples", "256", "--epochs", "1", "--threads", "1", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> line = (Map<?, ?>) Json.parse(r.out().strip());
        assertEquals(1L, ((Number) line.get("config")).longValue());
        assertEquals(64L, ((Number) line.get("batch")).longValue());
        assertEquals(1L, ((Number) line.get("threads")).longValue());
        assertEquals("java", line.get("matmul"));
        assertTrue(((Number) line.get("samples_per_sec")).doubleValue() > 0, r.out());
    }

    @Test
    void theCharacterConfigurationAlsoGivesCharactersPerSecond() {
        CliTest.Run r = CliTest.run("bench", "--config", "5", "--samples", "4", "--epochs", "1", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> line = (Map<?, ?>) Json.parse(r.out().strip());
        assertEquals("char-lstm-256", line.get("name"));
        assertEquals(64L, ((Number) line.get("batch")).longValue());
        double sequences = ((Number) line.get("samples_per_sec")).doubleValue();
        assertEquals(Math.round(sequences * 100), ((Number) line.get("chars_per_sec")).doubleValue(), 100, r.out());
    }

    @Test
    void measuresMatrixProducts() {
        CliTest.Run r = CliTest.run("bench", "--matmul", "8x16x24:TN", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> line = (Map<?, ?>) Json.parse(r.out().strip());
        assertEquals("8x16x24:TN", line.get("shape"));
        assertEquals("java", line.get("matmul"));
        assertTrue(((Number) line.get("gflops")).doubleValue() > 0, r.out());
    }

    @Test
    void measuresSingleExamplePredictionLatency() {
        CliTest.Run r = CliTest.run("bench", "--latency", "--config", "1", "--seconds", "0.2", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> line = (Map<?, ?>) Json.parse(r.out().strip());
        assertEquals("mlp-784-128-10", line.get("name"));
        double p50 = ((Number) line.get("p50_us")).doubleValue(), p99 = ((Number) line.get("p99_us")).doubleValue();
        assertTrue(p50 > 0 && p99 >= p50, r.out());
        assertTrue(((Number) line.get("predictions")).longValue() > 0, r.out());
    }

    @Test
    void latencyMeasuresOnlyTheImageConfigurations() {
        CliTest.Run r = CliTest.run("bench", "--latency", "--config", "5", "--seconds", "0.2");
        assertEquals(2, r.status());
        assertEquals("descent: error: --latency measures the image configurations 1 to 3, not 5", r.err().strip());
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        CliTest.Run config = CliTest.run("bench", "--config", "6");
        assertEquals(2, config.status());
        assertEquals("descent: error: unknown --config 6; choose 1, 2, 3, 4 or 5", config.err().strip());
        CliTest.Run shape = CliTest.run("bench", "--matmul", "12x3");
        assertEquals(2, shape.status());
        assertEquals("descent: error: bad matrix shape '12x3'; write MxKxN or MxKxN:TN, like 512x512x512", shape.err().strip());
    }
}
