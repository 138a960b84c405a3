package dev.descent.cli;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.descent.cli.tune.SearchSpace;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.train.LearningRateFinder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pictures of training (XChart), each written as {@code NAME.png} and {@code NAME.svg}:
 * loss and accuracy per epoch with the early-stopping point, the learning-rate range test, the
 * confusion matrix and the score of every tuning trial against each hyperparameter.
 */
final class Plots {
    static final int WIDTH = 720;
    static final int HEIGHT = 440;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);
    private static final Color MARK = new Color(214, 39, 40);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * {@code loss} and, for classification, {@code accuracy}: training and validation per epoch from
     * history lines ({@link dev.descent.train.EpochStats#toMap()}), the kept epoch marked when {@code bestEpoch > 0}.
     *
     * @return the files written
     */
    static List<Path> trainingCurves(List<Map<String, Object>> history, int bestEpoch, Path dir) {
        List<Path> written = new ArrayList<>();
        written.addAll(save(List.of(curves(history, bestEpoch, "loss", "loss", false)), 1, dir.resolve("loss")));
        if (history.stream().anyMatch(h -> h.containsKey("train_accuracy"))) {
            written.addAll(save(List.of(curves(history, bestEpoch, "accuracy", "accuracy (%)", true)), 1, dir.resolve("accuracy")));
        }
        return written;
    }

    private static XYChart curves(List<Map<String, Object>> history, int bestEpoch, String metric, String axis, boolean percent) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(metric + " per epoch")
                .xAxisTitle("epoch").yAxisTitle(axis).build();
        style(chart);
        if (percent) {                                     // accuracy rises: keep the legend below the curves
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        }
        double scale = percent ? 100 : 1;
        addSeries(chart, "training", history, "train_" + metric, scale, TRAIN);
        addSeries(chart, "validation", history, "val_" + metric, scale, VALIDATION);
        if (bestEpoch > 0) {
            for (Map<String, Object> h : history) {
                String key = h.containsKey("val_" + metric) ? "val_" + metric : "train_" + metric;
                if (h.get("epoch") != null && (int) Json.toDouble(h.get("epoch")) == bestEpoch && h.containsKey(key)) {
                    XYSeries s = chart.addSeries("early stopping: kept epoch " + bestEpoch, new double[] {bestEpoch},
                            new double[] {scale * Json.toDouble(h.get(key))});
                    s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(MARK);
            s.setLineColor(MARK);
                }
            }
        }
        return chart;
    }

    private static void addSeries(XYChart chart, String name, List<Map<String, Object>> history, String key, double scale, Color color) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (Map<String, Object> h : history) {
            if (h.containsKey(key) && h.containsKey("epoch")) {
                x.add(Json.toDouble(h.get("epoch")));
                y.add(scale * Json.toDouble(h.get(key)));
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
    }

    /** The range test: batch loss (light) and smoothed loss against the learning rate (log scale), the suggestion marked. */
    static List<Path> learningRateFinder(LearningRateFinder.Result r, Path base) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("learning-rate range test")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("training loss").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("0.#E0");
        XYSeries raw = chart.addSeries("batch loss", r.lrs(), r.losses());
        raw.setMarker(SeriesMarkers.NONE).setLineColor(new Color(174, 199, 232));
        XYSeries smooth = chart.addSeries("smoothed loss", r.lrs(), r.smoothed());
        smooth.setMarker(SeriesMarkers.NONE).setLineColor(TRAIN);
        int i = indexOf(r.lrs(), r.suggestion());
        double y = i >= 0 ? r.smoothed()[i] : r.smoothed()[r.smoothed().length / 2];
        XYSeries mark = chart.addSeries(String.format(Locale.ROOT, "suggested lr %.2g", r.suggestion()),
                new double[] {r.suggestion()}, new double[] {y});
        mark.setMarker(SeriesMarkers.DIAMOND);
            mark.setMarkerColor(MARK);
            mark.setLineColor(MARK);
        double plateau = 0;                               // the highest smoothed loss before its minimum
        for (int k = 0; k < r.smoothed().length && r.lrs()[k] <= r.minimumLr(); k++) {
            plateau = Math.max(plateau, r.smoothed()[k]);
        }
        chart.getStyler().setYAxisMax(1.4 * plateau).setYAxisMin(0.0);
        return save(List.of(chart), 1, base);
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** A heat map of {@code counts[truth][predicted]}, the count written in each cell, class 0 at the top left. */
    static List<Path> confusionMatrix(long[][] counts, Path base) {
        int k = counts.length;
        HeatMapChart chart = new HeatMapChartBuilder().width(600).height(540).title("confusion matrix (test set)")
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("0")
                .setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(33, 113, 181)});
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
        List<Integer> xs = new ArrayList<>(), ys = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            xs.add(c);
            ys.add(k - 1 - c);
        }
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
            }
        }
        chart.addSeries("counts", xs, ys, cells);
        return save(List.of(chart), 1, base);
    }

    /**
     * One scatter per varying hyperparameter: the score of every trial against the value it took
     * (ranges on their axis, log scale for log-uniform ones; choices by position, named in the title).
     *
     * @param trials each trial's parameter values
     * @param scores each trial's score
     */
    static List<Path> tuningScatter(List<Map<String, Object>> trials, double[] scores, List<SearchSpace.Parameter> parameters,
                                    String scoreName, Path base) {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (SearchSpace.Parameter p : parameters) {
            String key = p.name();
            List<Object> categories = p.domain() instanceof SearchSpace.Choice c ? c.values() : null;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                Object v = trials.get(i).get(key);
                if (v != null) {
                    x.add(categories == null ? Json.toDouble(v) : (double) indexOf(categories, v));
                    y.add(scores[i]);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            if (categories != null) {
                for (int i = 0; i < categories.size(); i++) {
                    labels.add(i + "=" + SearchSpace.text(categories.get(i)));
                }
            }
            String title = categories == null ? key : key + ": " + String.join("  ", labels);
            XYChart chart = new XYChartBuilder().width(420).height(320).title(title)
                    .xAxisTitle(categories == null ? key : key + " (choice number)").yAxisTitle(scoreName).build();
            style(chart);
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                    .setLegendVisible(false).setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(11f));
            if (p.domain() instanceof SearchSpace.Range r && r.log()) {
                chart.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("0.#E0");
            }
            if (categories != null) {
                chart.getStyler().setXAxisDecimalPattern("0").setXAxisMin(-0.5).setXAxisMax(categories.size() - 0.5);
            }
            XYSeries points = chart.addSeries("trials", x, y);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(TRAIN);
            charts.add(chart);
        }
        return charts.isEmpty() ? List.of() : save(charts, Math.min(3, charts.size()), base);
    }

    private static int indexOf(List<Object> values, Object v) {
        for (int i = 0; i < values.size(); i++) {
            if (SearchSpace.text(values.get(i)).equals(SearchSpace.text(v))) {
                return i;
            }
        }
        return -1;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendPosition(Styler.LegendPosition.InsideNE).setMarkerSize(7).setPlotBorderVisible(true);
    }

    /** Writes the charts in a grid of {@code columns} as {@code base.png} and {@code base.svg}. */
    static List<Path> save(List<? extends Chart<?, ?>> charts, int columns, Path base) {
        int rows = (charts.size() + columns - 1) / columns;
        int w = charts.get(0).getWidth(), h = charts.get(0).getHeight();
        BufferedImage image = new BufferedImage(columns * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, columns * w, rows * h);
        paint(charts, columns, g);
        g.dispose();
        VectorGraphics2D svg = new VectorGraphics2D();
        paint(charts, columns, svg);
        Path png = base.resolveSibling(base.getFileName() + ".png"), vector = base.resolveSibling(base.getFileName() + ".svg");
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
        AtomicFiles.write(vector, out -> new SVGProcessor().getDocument(svg.getCommands(),
                new PageSize(0, 0, columns * w, rows * h)).writeTo(out));
        return List.of(png, vector);
    }

    private static void paint(List<? extends Chart<?, ?>> charts, int columns, Graphics2D g) {
        int w = charts.get(0).getWidth(), h = charts.get(0).getHeight();
        for (int i = 0; i < charts.size(); i++) {
            AffineTransform saved = g.getTransform();
            g.translate((i % columns) * w, (i / columns) * h);
            charts.get(i).paint(g, w, h);
            g.setTransform(saved);
        }
    }
}
