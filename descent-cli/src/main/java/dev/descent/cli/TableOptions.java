package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.data.table.Preprocessor;
import dev.descent.data.table.Table;
import dev.descent.data.Task;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** How {@code train} and {@code compare} read a table (CSV or ARFF) and what they learn from it. */
final class TableOptions {
    @Option(names = "--target", paramLabel = "COLUMN",
            description = "Tables: the column to predict; 'last' for the last column (default: last).")
    String target = "last";

    @Mixin
    CsvOptions csv = new CsvOptions();

    @Option(names = "--categorical", split = ",", paramLabel = "COL,COL", description = "Tables: columns to one-hot encode even when they hold numbers.")
    List<String> categorical = List.of();

    @Option(names = "--ignore", split = ",", paramLabel = "COL,COL", description = "Tables: columns to leave out (ids, free text).")
    List<String> ignore = List.of();

    @Option(names = "--missing", paramLabel = "POLICY", defaultValue = "impute",
            description = "Tables: missing input values: impute (mean / most frequent, plus a NAME_missing input) or error (default: ${DEFAULT-VALUE}).")
    String missing;

    @Option(names = "--task", paramLabel = "TASK",
            description = "Tables: classification or regression (default: detected from the target column).")
    String task;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "mlp",
            description = "Tables: mlp (a neural network), tree (one decision tree) or gbdt (gradient-boosted trees, XGBoost) (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--cv", paramLabel = "K", description = "Tables: K-fold cross-validation (stratified for classes); reports mean ± std and saves no model.")
    Integer folds;

    @Option(names = "--test-size", paramLabel = "SHARE", defaultValue = "0.2",
            description = "Tables: share of the rows held out for the test (stratified for classes) without --cv (default: ${DEFAULT-VALUE}).")
    double testSize;

    /** Reads the table file. */
    Table read(Path file) {
        return csv.read(file, null);
    }

    Preprocessor.Options preprocessing() {
        Preprocessor.MissingPolicy policy = switch (missing.toLowerCase(Locale.ROOT)) {
            case "impute" -> Preprocessor.MissingPolicy.IMPUTE;
            case "error" -> Preprocessor.MissingPolicy.ERROR;
            default -> throw new DescentException("--missing must be impute or error, got '" + missing + "'");
        };
        Task t = task == null ? null : switch (task.toLowerCase(Locale.ROOT)) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> throw new DescentException("--task must be classification or regression, got '" + task + "'");
        };
        return new Preprocessor.Options(target, Set.copyOf(categorical), Set.copyOf(ignore), policy, t);
    }

    void validate() {
        if (!List.of("mlp", "tree", "gbdt").contains(algorithm)) {
            throw new DescentException("unknown --algorithm '" + algorithm + "'; choose mlp, tree or gbdt");
        }
        if (folds != null && folds < 2) {
            throw new DescentException("--cv must be at least 2 folds, got " + folds);
        }
        if (!(testSize > 0 && testSize < 1)) {
            throw new DescentException("--test-size must be between 0 and 1 (exclusive), got " + testSize);
        }
        preprocessing();
    }
}
