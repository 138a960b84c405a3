package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Transforms;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateFinderTest {

    @Test
    void theLearningRateGrowsExponentiallyFromMinToMax() {
        assertEquals(1e-7, LearningRateFinder.lrAt(0, 1e-7, 10, 101), 1e-20);
        assertEquals(1e-3, LearningRateFinder.lrAt(50, 1e-7, 10, 101), 1e-14);
        assertEquals(10, LearningRateFinder.lrAt(100, 1e-7, 10, 101), 1e-12);
    }

    /** A curve flat at 2.3, falling as a logistic in ln lr centred at 1e-3, rising again after 1e-1: steepest at 1e-3. */
    @Test
    void theSuggestionIsTheSteepestDescentBeforeTheMinimum() {
        int n = 200;
        double[] lrs = new double[n], loss = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = LearningRateFinder.lrAt(i, 1e-7, 10, n);
            double x = Math.log(lrs[i]);
            loss[i] = 0.3 + 2.0 / (1 + Math.exp(2 * (x - Math.log(1e-3)))) + (lrs[i] > 0.1 ? 5 * (lrs[i] - 0.1) : 0);
        }
        double suggestion = LearningRateFinder.suggest(lrs, loss);
        assertEquals(Math.log(1e-3), Math.log(suggestion), Math.log(lrs[1] / lrs[0]) * 1.01);
    }

    @Test
    void withoutAnyDescentItSuggestsATenthOfTheMinimum() {
        double[] lrs = {1e-3, 1e-2, 1e-1, 1}, rising = {1, 2, 3, 4};
        assertEquals(1e-4, LearningRateFinder.suggest(lrs, rising), 1e-18);
    }

    /** Linear regression y = 3x + noise with SGD: the test stops once the loss explodes (lr above 2/λ_max) and suggests a rate that trains. */
    @Test
    void onARealModelTheTestStopsWhenTheLossExplodesAndSuggestsAWorkingRate() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[256], y = new float[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
            y[i] = (float) (3 * x[i] + 0.5 * rng.nextGaussian());
        }
        Dataset data = new Dataset(Tensor.wrap(x, 256, 1), Tensor.wrap(y, 256, 1));
        Sequential model = new Sequential(new Linear(1, 1, new SplittableRandom(2)));
        LearningRateFinder.Result r = LearningRateFinder.run(model, Loss.mse(), lr -> Transforms.scaleByLearningRate(lr),
                data, 32, 3, 1e-5, 100, 300, line -> { });
        assertTrue(r.lrs().length < 300, "should stop early once the loss explodes, ran " + r.lrs().length);
        assertTrue(r.suggestion() > 1e-3 && r.suggestion() < 1, "suggestion " + r.suggestion());
    }
}
