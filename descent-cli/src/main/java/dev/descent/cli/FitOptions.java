package dev.descent.cli;

import picocli.CommandLine.Option;

/** How {@code train} fits: batches, epochs, early stopping, validation, regularization (settings: {@link CommandLineSettings}). */
final class FitOptions {
    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step (default: ${sys:descent.default.batch_size}).")
    Integer batchSize;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train, in total when resuming (default: ${sys:descent.default.epochs}).")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N optimizer steps in all (default: ${sys:descent.default.max_steps}, no limit).")
    Long maxSteps;

    @Option(names = "--seq-len", paramLabel = "N",
            description = "Text: characters per training window (backpropagation through time over N steps, the state reset per window) (default: ${sys:descent.default.seq_len}).")
    Integer seqLen;

    @Option(names = "--patience", paramLabel = "N",
            description = "Early stopping: epochs without validation improvement before stopping; 0 turns it off (default: ${sys:descent.default.patience}).")
    Integer patience;

    @Option(names = "--min-delta", paramLabel = "DELTA", description = "Early stopping: smallest improvement that counts (default: ${sys:descent.default.min_delta}).")
    Double minDelta;

    @Option(names = "--validation", paramLabel = "SHARE",
            description = "Share of the training set held out for validation, its last part (default: ${sys:descent.default.validation}).")
    Double validation;

    @Option(names = "--stratify", arity = "0..1", paramLabel = "true|false", description = "Images: hold out a stratified random validation set instead of the last part.")
    Boolean stratify;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 penalty λ·Σ|w| on the weights (default: ${sys:descent.default.l1}).")
    Double l1;

    @Option(names = "--l2", paramLabel = "LAMBDA", description = "L2 penalty λ·Σw² on the weights (default: ${sys:descent.default.l2}).")
    Double l2;

    @Option(names = "--augment", paramLabel = "K=V,...",
            description = "Images: augment the training images on the fly, e.g. rotate=10,translate=2,scale=0.1,noise=0.05 (also crop, elastic); see `descent augment --help`.")
    String augment;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial weights, batch order and dropout (default: ${sys:descent.default.seed}).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: DESCENT_THREADS or the number of cores).")
    Integer threads;
}
