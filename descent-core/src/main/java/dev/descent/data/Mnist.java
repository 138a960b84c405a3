package dev.descent.data;

import dev.descent.DescentException;
import dev.descent.data.Idx.IdxArray;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The MNIST handwritten digits: finding, downloading and loading the four IDX files.
 *
 * <p>{@link #load(Path)} gives images as inputs {@code [N, 1, H, W]} float32 scaled to [0, 1]
 * ({@code pixel / 255}) and labels as targets {@code [N]} (class indices as floats). MNIST is
 * 28×28 with 60,000 training and 10,000 test examples; other MNIST-like sets in the same
 * format (other image sizes, label values up to 255) load too as long as train and test agree.
 */
public final class Mnist {
    /** Training images, gzipped. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    /** Training labels, gzipped. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    /** Test images, gzipped. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    /** Test labels, gzipped. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** The published md5 of each gzipped file. */
    public static final Map<String, String> MD5 = Map.of(
            TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
            TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3",
            TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c");

    /** The four gzipped file names. */
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Public mirrors tried in order; each holds the four files under the same names. */
    public static final List<URI> MIRRORS = List.of(
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("http://yann.lecun.com/exdb/mnist/"));

    private static final int MAX_BYTE = 255;

    private Mnist() {
    }

    /**
     * The training and test sets.
     *
     * @param classes the number of classes: the largest label of both label files, read whole
     *                (a limited load keeps only some of the labels), plus one
     */
    public record Split(Dataset train, Dataset test, int classes) {
        /** The sets with the number of classes their own labels show. */
        public Split(Dataset train, Dataset test) {
            this(train, test, Math.max(train.numClasses(), test.numClasses()));
        }
    }

    /**
     * Where to look for MNIST and where to download it, with the environment passed in (tests
     * give their own). Folders are tried in order: {@code dataDir} and {@code dataDir/mnist}
     * (when {@code dataDir} is not null, from {@code --data-dir}), {@code $DESCENT_DATA/mnist},
     * then the cache folder {@code $XDG_CACHE_HOME/descent/mnist} or
     * {@code home/.cache/descent/mnist}; when none holds the four files, they are downloaded into
     * the cache folder from {@code mirrors}, with a progress bar on {@code progress}.
     */
    public record Locator(Path dataDir, Map<String, String> env, Path home, List<URI> mirrors, PrintStream progress) {
        public Locator {
            env = Map.copyOf(env);
            mirrors = List.copyOf(mirrors);
        }

        /** The real environment, home folder and mirrors, with progress on standard error. */
        public static Locator system(Path dataDir) {
            return new Locator(dataDir, System.getenv(), Path.of(System.getProperty("user.home")), MIRRORS, System.err);
        }

        /** The folders searched, in order. */
        public List<Path> candidates() {
            List<Path> folders = new ArrayList<>();
            if (dataDir != null) {
                folders.add(dataDir);
                folders.add(dataDir.resolve("mnist"));
            }
            String descentData = env.get("DESCENT_DATA");
            if (descentData != null && !descentData.isBlank()) {
                folders.add(Path.of(descentData, "mnist"));
            }
            folders.add(cacheDir());
            return folders;
        }

        /** The folder downloads go to: {@code $XDG_CACHE_HOME/descent/mnist}, else {@code home/.cache/descent/mnist}. */
        public Path cacheDir() {
            String xdg = env.get("XDG_CACHE_HOME");
            Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache");
            return cache.resolve("descent").resolve("mnist");
        }

        /** The first folder holding the four files, downloading them into {@link #cacheDir()} when none does. */
        public Path locate() {
            for (Path folder : candidates()) {
                if (isComplete(folder)) {
                    return folder;
                }
            }
            return download();
        }

        private Path download() {
            Path cache = cacheDir();
            try (Download download = new Download(progress)) {
                for (String name : FILES) {
                    if (find(cache, name) == null) {
                        download.fetch(mirrors, name, MD5.get(name), cache);
                    }
                }
                return cache;
            } catch (IOException e) {
                throw new DescentException("MNIST was not found and could not be downloaded (" + Download.describe(e)
                        + "); put " + String.join(", ", FILES) + " (gzipped or not) into one of "
                        + candidates().stream().map(Path::toString).collect(Collectors.joining(", "))
                        + ", or set DESCENT_DATA to a folder holding mnist/ with them, or pass --data-dir FOLDER", e);
            }
        }
    }

    /** Finds (downloading when needed, see {@link Locator}) and loads MNIST. */
    public static Split load(Locator locator) {
        return load(locator.locate());
    }

    /** Finds (downloading when needed) MNIST and loads its first {@code limit} training and test examples. */
    public static Split load(Locator locator, int limit) {
        return load(locator.locate(), limit);
    }

    /** Whether {@code folder} holds all four files, gzipped or not. */
    public static boolean isComplete(Path folder) {
        return FILES.stream().allMatch(name -> find(folder, name) != null);
    }

    /** Loads the four files of {@code folder}; all are read and checked before anything is returned. */
    public static Split load(Path folder) {
        return load(folder, Integer.MAX_VALUE);
    }

    /**
     * Loads the first {@code limit} training and the first {@code limit} test examples of the
     * four files of {@code folder} (all of them when there are fewer): only those images are kept
     * in memory, the rest of each image file is checked and skipped ({@link Idx#read(Path, int)});
     * the label files (one byte per image) are read whole, so {@link Split#classes} counts them
     * all. A label file shorter than the images kept, or of another length than an image file
     * read whole, is refused.
     */
    public static Split load(Path folder, int limit) {
        IdxArray trainImages = images(folder, TRAIN_IMAGES, limit), testImages = images(folder, TEST_IMAGES, limit);
        IdxArray trainLabels = labels(folder, TRAIN_LABELS), testLabels = labels(folder, TEST_LABELS);
        int[] trainSize = Arrays.copyOfRange(trainImages.dims(), 1, 3), testSize = Arrays.copyOfRange(testImages.dims(), 1, 3);
        if (!Arrays.equals(trainSize, testSize)) {
            throw new DescentException("the training images in " + folder + " are " + trainSize[0] + "x" + trainSize[1]
                    + " but the test images are " + testSize[0] + "x" + testSize[1]
                    + "; use training and test files of the same data set");
        }
        int classes = (int) Math.max(max(trainLabels.toFloatArray()), max(testLabels.toFloatArray())) + 1;
        return new Split(dataset(folder, TRAIN_IMAGES, trainImages, TRAIN_LABELS, trainLabels, limit),
                dataset(folder, TEST_IMAGES, testImages, TEST_LABELS, testLabels, limit), classes);
    }

    private static float max(float[] labels) {
        float max = -1;
        for (float label : labels) {
            max = Math.max(max, label);
        }
        return max;
    }

    /** The kept images with their labels; {@code limit} is the most images that were read. */
    private static Dataset dataset(Path folder, String imageName, IdxArray images, String labelName, IdxArray labels,
                                   int limit) {
        int n = images.dims()[0];
        if (labels.count() < n || (n < limit && labels.count() != n)) {
            throw new DescentException(find(folder, labelName) + " has " + labels.count() + " labels but "
                    + find(folder, imageName) + " has " + (n < limit ? "" : "at least ") + n + " images; use the label"
                    + " and image files of the same data set (download them again)");
        }
        byte[] pixels = images.data();
        float[] scaled = new float[pixels.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (pixels[i] & 0xFF) / (float) MAX_BYTE;
        }
        return new Dataset(Tensor.wrap(scaled, n, 1, images.dims()[1], images.dims()[2]),
                Tensor.wrap(Arrays.copyOf(labels.toFloatArray(), n), n));
    }

    private static IdxArray images(Path folder, String name, int limit) {
        Path file = require(folder, name);
        IdxArray images = Idx.read(file, limit);
        if (images.type() != Idx.UBYTE || images.dims().length != 3) {
            throw new DescentException(file + " holds " + images.dims().length + "-D IDX data of type 0x"
                    + Integer.toHexString(images.type()) + ", expected 3-D unsigned bytes [N, rows, columns];"
                    + " put the image file there, not the label file");
        }
        return images;
    }

    private static IdxArray labels(Path folder, String name) {
        Path file = require(folder, name);
        IdxArray labels = Idx.read(file);
        if (labels.dims().length != 1) {
            throw new DescentException(file + " holds " + labels.dims().length + "-D IDX data, expected 1-D labels [N];"
                    + " put the label file there, not the image file");
        }
        float[] values = labels.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > MAX_BYTE || values[i] != Math.rint(values[i])) {
                throw new DescentException(file + " has label " + values[i] + " at index " + i
                        + ", expected a whole number from 0 to 255; download it again");
            }
        }
        return labels;
    }

    private static Path require(Path folder, String name) {
        Path file = find(folder, name);
        if (file == null) {
            throw new DescentException(folder + " has neither " + name + " nor " + unzippedName(name)
                    + "; put the four MNIST files there (" + String.join(", ", FILES) + ")");
        }
        return file;
    }

    /** {@code folder/name} when it exists, else the un-gzipped {@code folder/name-without-.gz}, else null. */
    static Path find(Path folder, String name) {
        for (Path file : List.of(folder.resolve(name), folder.resolve(unzippedName(name)))) {
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static String unzippedName(String name) {
        return name.substring(0, name.length() - ".gz".length());
    }
}
