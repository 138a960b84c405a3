// What can go wrong with rotation augmentation: a 6 turned far enough is a 9.
//
// Run from the repository root after training a model (the jar is built by ./descent):
//   java --add-modules jdk.incubator.vector -cp descent-cli/target/descent.jar \
//        scripts/examples/RotatedSix.java runs/cnn docs/rotated-six.png
//
// It loads the checkpoint and the MNIST test set (DESCENT_DATA or ~/.cache/descent), takes every
// test 6 that the model reads correctly upright, turns it by 30, 60, ..., 180 degrees
// (Augmentation.warp, bilinear) and prints how many are then read as a 9; it draws the first
// 6 that becomes a 9 at 180 degrees at each angle, with the model's answer under each picture.
import dev.descent.data.Augmentation;
import dev.descent.data.Mnist;
import dev.descent.tensor.Tensor;
import dev.descent.train.Model;
import dev.descent.train.Prediction;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class RotatedSix {
    public static void main(String[] args) throws Exception {
        Model model = Model.load(Path.of(args[0]));
        Mnist.Split mnist = Mnist.load(Mnist.Locator.system(null));
        Tensor images = mnist.test().inputs();
        int[] labels = mnist.test().labels();
        List<Integer> sixes = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 6) {
                sixes.add(i);
            }
        }
        Tensor six = images.indexSelect(0, sixes.stream().mapToInt(Integer::intValue).toArray());
        int[] upright = model.predict(six).classes();
        List<Integer> correct = new ArrayList<>();
        for (int i = 0; i < upright.length; i++) {
            if (upright[i] == 6) {
                correct.add(i);
            }
        }
        Tensor readable = six.indexSelect(0, correct.stream().mapToInt(Integer::intValue).toArray());
        System.out.printf("%d test 6s, %d read as 6 upright%n", six.dim(0), readable.dim(0));
        int[] angles = {0, 30, 60, 90, 120, 150, 180};
        int example = -1;
        for (int angle : angles) {
            int[] predicted = model.predict(Augmentation.warp(readable, angle, 1, 0, 0)).classes();
            int asSix = 0, asNine = 0;
            for (int i = 0; i < predicted.length; i++) {
                asSix += predicted[i] == 6 ? 1 : 0;
                asNine += predicted[i] == 9 ? 1 : 0;
                if (angle == 180 && predicted[i] == 9 && example < 0) {
                    example = i;
                }
            }
            System.out.printf("turned %3d degrees: %5.1f%% read as 6, %5.1f%% as 9%n", angle,
                    100.0 * asSix / predicted.length, 100.0 * asNine / predicted.length);
        }
        if (example < 0) {
            System.out.println("no 6 is read as 9 at 180 degrees");
            return;
        }
        System.out.printf("drawn: test image #%d%n", sixes.get(correct.get(example)));
        Tensor one = readable.slice(0, example, example + 1);
        int zoom = 4, tile = 28 * zoom + 8, label = 30;
        BufferedImage img = new BufferedImage(angles.length * tile + 8, tile + label + 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 40, 48));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int a = 0; a < angles.length; a++) {
            Tensor turned = Augmentation.warp(one, angles[a], 1, 0, 0);
            Prediction p = model.predict(turned);
            int cls = p.classes()[0];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    float v = (float) Math.max(0, Math.min(1, turned.get(0, 0, y, x)));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(8 + a * tile + x * zoom, 8 + y * zoom, zoom, zoom);
                }
            }
            g.setColor(cls == 6 ? Color.LIGHT_GRAY : new Color(255, 140, 120));
            g.drawString(angles[a] + "°: " + cls + " (" + Math.round(100 * p.probabilities()[0][cls]) + "%)", 8 + a * tile + 4,
                    8 + 28 * zoom + 18);
        }
        g.dispose();
        ImageIO.write(img, "png", Path.of(args[1]).toFile());
        System.out.println("wrote " + args[1]);
    }
}
