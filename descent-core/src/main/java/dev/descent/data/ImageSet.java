package dev.descent.data;

import dev.descent.DescentException;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * An image data set by name, as {@code descent train} and {@code eval} take it: {@code mnist}
 * (found in {@code dataDir}, {@code $DESCENT_DATA/mnist} or the cache, else downloaded; see
 * {@link Mnist.Locator}) or {@code idx} (the four MNIST file names of any IDX image set, in
 * {@code dataDir}), optionally cut to the first {@code limit} training and test examples.
 *
 * @param train      the training images {@code [N, 1, H, W]} (0–1) and labels
 * @param test       the test images and labels
 * @param inputShape the shape of one image, {@code [1, H, W]}
 * @param classes    the number of classes (the largest label plus one)
 */
public record ImageSet(Dataset train, Dataset test, int[] inputShape, int classes) {

    /**
     * Loads the set {@code name} ({@code mnist} or {@code idx}).
     *
     * @param dataDir the folder holding the files, or null to look in the usual places (mnist only)
     * @param limit   examples to keep of each part (0: all)
     */
    public static ImageSet load(String name, Path dataDir, int limit) {
        if (!name.equals("mnist") && !name.equals("idx")) {
            throw new DescentException("unknown image data set '" + name + "'; choose mnist or idx");
        }
        if (name.equals("idx") && dataDir == null) {
            throw new DescentException("the data set idx reads the four IDX files (" + String.join(", ", Mnist.FILES)
                    + ", gzipped or not) from --data-dir DIR; pass --data-dir");
        }
        if (dataDir != null && !Mnist.isComplete(dataDir) && !Mnist.isComplete(dataDir.resolve("mnist"))) {
            throw new DescentException("--data-dir " + dataDir + " does not hold the four MNIST files ("
                    + String.join(", ", Mnist.FILES) + "); put them there or leave out --data-dir to use DESCENT_DATA or download");
        }
        int keep = limit <= 0 ? Integer.MAX_VALUE : limit; // only the kept images are read into memory
        Mnist.Split split = name.equals("idx") ? Mnist.load(Mnist.isComplete(dataDir) ? dataDir : dataDir.resolve("mnist"), keep)
                : Mnist.load(Mnist.Locator.system(dataDir), keep);
        int[] dims = split.train().inputs().dims();
        return new ImageSet(split.train(), split.test(), Arrays.copyOfRange(dims, 1, dims.length), split.classes());
    }
}
