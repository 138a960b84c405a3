package dev.descent.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress. On a terminal, one line per epoch is redrawn in place with a bar,
 * the running loss and the throughput; otherwise (a log file, CI) only the epoch summaries
 * are printed.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private long epochStart;
    private double runningLoss;
    private int lastDrawn = -1;

    public ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
        if (batch == 1) {
            epochStart = System.nanoTime();
            runningLoss = loss;
        }
        runningLoss = 0.98 * runningLoss + 0.02 * loss;
        int filled = batches == 0 ? WIDTH : batch * WIDTH / batches;
        if (!interactive || (filled == lastDrawn && batch != batches)) {
            return;
        }
        lastDrawn = filled;
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double rate = batch * trainer.config().batchSize() / Math.max(1e-9, seconds);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f %,.0f samples/s ",
                epoch, trainer.config().epochs(), "=".repeat(filled), " ".repeat(WIDTH - filled),
                batch, batches, runningLoss, rate));
        out.flush();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochStats s) {
        lastDrawn = -1;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%sepoch %d/%d  loss %.4f",
                interactive ? "\r" : "", s.epoch(), trainer.config().epochs(), s.trainLoss()));
        if (!Double.isNaN(s.trainAccuracy())) {
            line.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * s.trainAccuracy()));
        }
        if (!Double.isNaN(s.validationLoss())) {
            line.append(String.format(Locale.ROOT, "  val_loss %.4f", s.validationLoss()));
        }
        if (!Double.isNaN(s.validationAccuracy())) {
            line.append(String.format(Locale.ROOT, "  val_acc %.2f%%", 100 * s.validationAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  %.1fs  %,.0f samples/s", s.seconds(), s.samplesPerSecond()));
        out.println(line + (interactive ? " ".repeat(10) : ""));
    }
}
