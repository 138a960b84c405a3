package dev.descent.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress. At a terminal, the current epoch is one line redrawn in place: a bar,
 * the batches done, the epoch's mean loss so far, the rate since the epoch began and the time
 * left in the epoch; each finished epoch then gets its summary line. Elsewhere (a log file, CI)
 * only the summary lines are written.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    /** Redraw at most this often. */
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private final boolean interactive;
    private long epochStart;
    private long lastDrawn;
    private double lossSum;

    /**
     * @param out         where to write (standard error, so results on standard output stay clean)
     * @param interactive whether {@code out} is a terminal (redraw in place)
     */
    public ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void onTrainStart(Trainer trainer) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, int batches, double loss) {
        lossSum = batch == 1 ? loss : lossSum + loss;
        long now = System.nanoTime();
        if (!interactive || (now - lastDrawn < REDRAW_NANOS && batch != batches)) {
            return;
        }
        lastDrawn = now;
        double seconds = Math.max(1e-9, (now - epochStart) / 1e9);
        int filled = batches == 0 ? WIDTH : batch * WIDTH / batches;
        double rate = (double) batch * trainer.batchSize() / seconds;
        double left = seconds / batch * (batches - batch);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f samples/s  %s left ",
                epoch, trainer.epochs(), "=".repeat(filled), " ".repeat(WIDTH - filled), batch, batches,
                lossSum / batch, rate, duration(left)));
        out.flush();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochStats s) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%sepoch %d/%d  loss %.4f",
                interactive ? "\r" : "", s.epoch(), trainer.epochs(), s.trainLoss()));
        if (!Double.isNaN(s.trainAccuracy())) {
            line.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * s.trainAccuracy()));
        }
        if (!Double.isNaN(s.validationLoss())) {
            line.append(String.format(Locale.ROOT, "  val_loss %.4f", s.validationLoss()));
        }
        if (!Double.isNaN(s.validationAccuracy())) {
            line.append(String.format(Locale.ROOT, "  val_acc %.2f%%", 100 * s.validationAccuracy()));
        }
        if (!Double.isNaN(s.validationBitsPerCharacter())) {
            line.append(String.format(Locale.ROOT, "  val_bpc %.4f", s.validationBitsPerCharacter()));
        }
        line.append(String.format(Locale.ROOT, "  %.1fs  %,.0f samples/s", s.seconds(), s.samplesPerSecond()));
        out.println(line + (interactive ? " ".repeat(20) : ""));
        epochStart = System.nanoTime();
    }

    /** "42s", "3m05s", "1h02m". */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
