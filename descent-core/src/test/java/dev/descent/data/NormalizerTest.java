package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.io.Json;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizerTest {
    private static Tensor data() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[500 * 3];
        for (int i = 0; i < 500; i++) {
            x[3 * i] = (float) (5 + 2 * rng.nextGaussian());
            x[3 * i + 1] = (float) (-1 + 0.1 * rng.nextGaussian());
            x[3 * i + 2] = 7;
        }
        return Tensor.wrap(x, 500, 3);
    }

    @Test
    void perFeatureGivesZeroMeanUnitStdAndLeavesConstantColumnsFinite() {
        Tensor x = data();
        Normalizer norm = Normalizer.fit(x, Normalizer.Mode.PER_FEATURE);
        assertEquals(1.0, norm.std()[2]);
        Tensor y = norm.apply(x);
        Tensor mean = y.mean(0, false), std = y.square().mean(0, false).sqrt();
        assertArrayEquals(new float[] {0, 0, 0}, mean.toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {1, 1, 0}, std.toFloatArray(), 1e-4f);
    }

    @Test
    void globalGivesZeroMeanUnitStdOverAllElements() {
        Tensor x = data();
        Normalizer norm = Normalizer.fit(x, Normalizer.Mode.GLOBAL);
        assertEquals(1, norm.mean().length);
        Tensor y = norm.apply(x);
        assertEquals(0, y.mean().item(), 1e-4);
        assertEquals(1, y.square().mean().sqrt().item(), 1e-4);
    }

    @Test
    void configRoundTripsThroughJson() {
        Normalizer fitted = Normalizer.fit(data(), Normalizer.Mode.PER_FEATURE);
        Normalizer rebuilt = Normalizer.fromConfig(Json.parseObject(Json.write(fitted.toConfig())));
        assertEquals(fitted.mode(), rebuilt.mode());
        assertArrayEquals(fitted.mean(), rebuilt.mean());
        assertArrayEquals(fitted.std(), rebuilt.std());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"mean\": [0.1], \"std\": [0.3]}                     | has no \"mode\"",
            "{\"mode\": \"GLOBAL\", \"std\": [0.3]}                  | has no \"mean\"",
            "{\"mode\": \"GLOBAL\", \"mean\": [0.1]}                 | has no \"std\"",
            "{\"mode\": \"global\", \"mean\": [0.1], \"std\": [1]}   | has the mode \"global\", expected \"GLOBAL\" or \"PER_FEATURE\"",
            "{\"mode\": \"GLOBAL\", \"mean\": 0.1, \"std\": [1]}     | has a \"mean\" that is not a list of numbers",
            "{\"mode\": \"GLOBAL\", \"mean\": [\"NaN\"], \"std\": [1]} | has \"NaN\" at \"mean\"[0], expected a finite number",
            "{\"mode\": \"GLOBAL\", \"mean\": [0], \"std\": [0]}     | normalizer std 0.0 is not a positive number",
    })
    void aConfigMissingAKeyOrHoldingABadValueIsRefusedNamingIt(String json, String problem) {
        String message = assertThrows(DescentException.class, () -> Normalizer.fromConfig(Json.parseObject(json))).getMessage();
        assertTrue(message.contains(problem), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void rebuildsFromStoredStatistics() {
        Tensor x = data();
        Normalizer fitted = Normalizer.fit(x, Normalizer.Mode.PER_FEATURE);
        Normalizer rebuilt = new Normalizer(fitted.mode(), fitted.mean(), fitted.std());
        assertArrayEquals(fitted.apply(x).toFloatArray(), rebuilt.apply(x).toFloatArray());
    }
}
