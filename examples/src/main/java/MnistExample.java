import dev.descent.data.Mnist;
import dev.descent.train.Model;
import dev.descent.train.Prediction;
import dev.descent.train.ProgressBar;
import dev.descent.train.TrainingSettings;

import java.nio.file.Path;

public class MnistExample {
    public static void main(String[] args) {
        Mnist.Split mnist = Mnist.load(Mnist.Locator.system(null));   // $DESCENT_DATA/mnist, the cache, or a download
        Model model = Model.classifier("flatten dense(128) relu dense(10)");
        model.fit(mnist.train(), TrainingSettings.defaults().epochs(3).batchSize(64).learningRate(1e-3)
                .callbacks(new ProgressBar(System.err, false)));   // one line per epoch
        System.out.printf("test accuracy %.2f%%%n", 100 * model.evaluate(mnist.test()).accuracy());

        Prediction p = model.predict(mnist.test().inputs().slice(0, 0, 3));   // the first three test images
        for (int i = 0; i < 3; i++) {
            System.out.printf("image %d: %s (%.1f%%)%n", i, p.className(i), 100 * p.probabilities()[i][p.classes()[i]]);
        }
        model.save(Path.of("runs/java-mnist"));   // a checkpoint that `descent eval` and `descent predict` read too
    }
}
