package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Augmentation;
import dev.descent.data.Dataset;
import dev.descent.data.ImageSet;
import dev.descent.io.AtomicFiles;
import dev.descent.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * {@code descent augment --preview grid.png}: a grid of augmented training images, one example
 * per row: the original, then {@code --variants} random augmentations of it.
 */
@Command(name = "augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Preview the image augmentation that `descent train --augment` applies to training batches.",
                "Example: descent augment --augment rotate=10,translate=2,scale=0.1,noise=0.05 --preview grid.png",
                "Settings (all off by default): rotate=DEGREES translate=PIXELS scale=FRACTION noise=STD crop=PIXELS"
                        + " elastic=ALPHA elastic_sigma=PIXELS"})
final class AugmentCommand implements Runnable {
    static final String DEFAULT_AUGMENT = "rotate=10,translate=2,scale=0.1,noise=0.05";
    private static final int ZOOM = 3, GAP = 4, LABEL = 16;

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--augment", paramLabel = "K=V,...", defaultValue = DEFAULT_AUGMENT,
            description = "Augmentation settings (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--preview", required = true, paramLabel = "FILE", description = "PNG file to write.")
    Path preview;

    @Option(names = "--overwrite", description = "Replace the --preview file if it exists.")
    boolean overwrite;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "8", description = "Training examples, one per row (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--variants", paramLabel = "N", defaultValue = "8", description = "Augmented versions per example (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the random augmentations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        if (examples < 1 || variants < 1) {
            throw new DescentException("--examples and --variants must be at least 1");
        }
        if (!preview.toString().toLowerCase().endsWith(".png")) {
            throw new DescentException("--preview writes a PNG image; give a file name ending in .png, got " + preview);
        }
        OutputFiles.check(preview, overwrite);
        Augmentation augmentation = Augmentation.parse(augment);
        Dataset train = ImageSet.load(data.dataset(), data.dataDir, data.limit == null ? 0 : data.limit).train();
        if (train.inputs().rank() != 4) {
            throw new DescentException("the data set's inputs have shape " + train.inputs().shape() + "; augmentation needs images");
        }
        Tensor originals = train.inputs().slice(0, 0, Math.min(examples, train.size()));
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] columns = new Tensor[variants + 1];
        columns[0] = originals;
        for (int v = 1; v <= variants; v++) {
            columns[v] = augmentation.apply(originals, rng);
        }
        BufferedImage img = draw(columns, train.targets(), augmentation.toString());
        AtomicFiles.write(preview, stream -> {
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer");
            }
        });
        spec.commandLine().getOut().printf("wrote %s: %d examples (rows), the original then %d augmentations (%s)%n",
                preview, originals.dim(0), variants, augmentation);
    }

    /** Grey-scale tiles (pixel values clamped to [0, 1], the first channel), the label at the left of each row. */
    private static BufferedImage draw(Tensor[] columns, Tensor labels, String title) {
        int n = columns[0].dim(0), h = columns[0].dim(2), w = columns[0].dim(3);
        int tileW = w * ZOOM + GAP, tileH = h * ZOOM + GAP;
        BufferedImage img = new BufferedImage(LABEL + columns.length * tileW + GAP, LABEL + n * tileH + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 40, 48));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.LIGHT_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("original | " + title, LABEL + GAP, 12);
        for (int i = 0; i < n; i++) {
            g.drawString(Integer.toString((int) labels.storage().get(i)), 4, LABEL + i * tileH + tileH / 2 + 4);
            for (int c = 0; c < columns.length; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double v = Math.max(0, Math.min(1, columns[c].get(i, 0, y, x)));
                        g.setColor(new Color((float) v, (float) v, (float) v));
                        g.fillRect(LABEL + GAP + c * tileW + x * ZOOM, LABEL + GAP + i * tileH + y * ZOOM, ZOOM, ZOOM);
                    }
                }
            }
        }
        g.dispose();
        return img;
    }
}
