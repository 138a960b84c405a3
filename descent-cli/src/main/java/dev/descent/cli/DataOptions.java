package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.Mnist;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;

/** The data set options shared by {@code train} and {@code eval}. */
final class DataOptions {
    @Parameters(index = "0", arity = "0..1", defaultValue = "mnist", paramLabel = "DATASET",
            description = "Data set: mnist, idx (any MNIST-like set in --data-dir), or a table file: .csv, .tsv or .arff, optionally .gz (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set, as the DATASET argument: mnist, or idx (the four MNIST file names, any image size, in --data-dir).")
    String datasetOption;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the data files (default: $DESCENT_DATA/mnist, then ~/.cache/descent/mnist, then download).")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training and N test examples (quick runs).")
    Integer limit;

    /** The training and test sets, the shape of one input and the number of classes. */
    record Loaded(Dataset train, Dataset test, int[] inputShape, int classes) {
    }

    Loaded load() {
        if (datasetOption != null) {
            dataset = datasetOption;
        }
        if (!dataset.equals("mnist") && !dataset.equals("idx")) {
            throw new DescentException("unknown data set '" + dataset + "'; choose: mnist, idx");
        }
        if (dataset.equals("idx") && dataDir == null) {
            throw new DescentException("--dataset idx reads the four IDX files (" + String.join(", ", Mnist.FILES)
                    + ", gzipped or not) from --data-dir DIR; pass --data-dir");
        }
        if (limit != null && limit < 1) {
            throw new DescentException("--limit must be at least 1, got " + limit);
        }
        if (dataDir != null && !Mnist.isComplete(dataDir) && !Mnist.isComplete(dataDir.resolve("mnist"))) {
            throw new DescentException("--data-dir " + dataDir + " does not hold the four MNIST files ("
                    + String.join(", ", Mnist.FILES) + "); put them there or leave out --data-dir to use DESCENT_DATA or download");
        }
        Mnist.Split split = dataset.equals("idx") ? Mnist.load(Mnist.isComplete(dataDir) ? dataDir : dataDir.resolve("mnist"))
                : Mnist.load(Mnist.Locator.system(dataDir));
        Dataset train = cut(split.train()), test = cut(split.test());
        int[] dims = train.inputs().dims();
        return new Loaded(train, test, Arrays.copyOfRange(dims, 1, dims.length),
                Math.max(split.train().numClasses(), split.test().numClasses()));
    }

    private Dataset cut(Dataset d) {
        return limit == null || limit >= d.size() ? d : d.slice(0, limit);
    }
}
