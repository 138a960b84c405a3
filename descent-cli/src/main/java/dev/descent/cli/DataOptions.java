package dev.descent.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The data set options of {@code train}, {@code eval} and {@code lr-find} (settings: {@link CommandLineSettings}). */
final class DataOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
            description = "Data set: mnist, idx (any MNIST-like set in --data-dir), a table file (.csv, .tsv, .arff, optionally .gz), a text file (.txt) or kjv (the King James Bible in $DESCENT_DATA/text/kjv.txt) (default: mnist).")
    String dataset;

    @Option(names = {"--dataset", "--data"}, paramLabel = "NAME", description = "Data set, as the DATASET argument.")
    String datasetOption;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Images: folder with the IDX files (default: $DESCENT_DATA/mnist, then ~/.cache/descent/mnist, then download).")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training and N test examples, or the first N characters of a text (quick runs) (default: all).")
    Integer limit;

    /** The data set named on the command line, or mnist. */
    String dataset() {
        return datasetOption != null ? datasetOption : dataset != null ? dataset : "mnist";
    }
}
