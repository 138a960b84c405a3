package dev.descent.cli;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.descent.cli.tune.SearchSpace;
import dev.descent.io.AtomicFiles;
import dev.descent.io.Json;
import dev.descent.train.LearningRateFinder;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pictures of training (JFreeChart), each written as {@code NAME.png} and {@code NAME.svg}
 * (the SVG keeps its text as text): loss and accuracy per epoch with the early-stopping point, the
 * learning-rate range test, the confusion matrix (counts in the cells, shaded light to dark) and
 * the score of every tuning trial against each hyperparameter, one small panel per parameter.
 */
final class Plots {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int PANEL_WIDTH = 360;
    private static final int PANEL_HEIGHT = 280;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);
    private static final Color MARK = new Color(214, 39, 40);
    private static final Color LIGHT = new Color(174, 199, 232);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color TEXT = new Color(40, 40, 40);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font PANEL_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    /** ColorBrewer's sequential "Blues", lightest to darkest. */
    private static final Color[] BLUES = {new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1),
            new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c), new Color(0x08306b)};
    private static final Shape CIRCLE = new Ellipse2D.Double(-3.5, -3.5, 7, 7);
    private static final Shape DIAMOND = diamond(6);

    static {
        System.setProperty("java.awt.headless", "true");
        // Rotated labels (the vertical axis title) by rotate + drawString, which the SVG keeps as
        // text, instead of the glyph outlines of JFreeChart's work-around for old JDKs.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Plots() {
    }

    /**
     * {@code loss}, for classification {@code accuracy}, and for a character model {@code bpc} (validation bits per
     * character): training and validation per epoch from
     * history lines ({@link dev.descent.train.EpochStats#toMap()}), the kept epoch marked when {@code bestEpoch > 0}.
     *
     * @return the files written
     */
    static List<Path> trainingCurves(List<Map<String, Object>> history, int bestEpoch, Path dir) {
        List<Path> written = new ArrayList<>(save(List.of(curves(history, bestEpoch, "loss", "loss", 1)), 1, dir.resolve("loss")));
        if (history.stream().anyMatch(h -> h.containsKey("train_accuracy"))) {
            written.addAll(save(List.of(curves(history, bestEpoch, "accuracy", "accuracy (%)", 100)), 1, dir.resolve("accuracy")));
        }
        if (history.stream().anyMatch(h -> h.containsKey("val_bpc"))) {
            written.addAll(save(List.of(curves(history, bestEpoch, "bpc", "validation bits per character", 1)), 1,
                    dir.resolve("bpc")));
        }
        return written;
    }

    private static Picture curves(List<Map<String, Object>> history, int bestEpoch, String metric, String axis, double scale) {
        NumberAxis epochs = numberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        addSeries(data, renderer, series("training", history, "train_" + metric, scale), TRAIN, CIRCLE, true);
        addSeries(data, renderer, series("validation", history, "val_" + metric, scale), VALIDATION, CIRCLE, true);
        if (bestEpoch > 0) {
            for (Map<String, Object> h : history) {
                String key = h.containsKey("val_" + metric) ? "val_" + metric : "train_" + metric;
                if (h.get("epoch") != null && (int) Json.toDouble(h.get("epoch")) == bestEpoch && h.containsKey(key)) {
                    XYSeries kept = new XYSeries("early stopping: kept epoch " + bestEpoch);
                    kept.add(bestEpoch, scale * Json.toDouble(h.get(key)));
                    addSeries(data, renderer, kept, MARK, DIAMOND, false);
                }
            }
        }
        XYPlot plot = plot(data, epochs, numberAxis(axis), renderer);
        return new Picture(chart(metric + " per epoch", TITLE_FONT, plot, true), WIDTH, HEIGHT);
    }

    private static XYSeries series(String name, List<Map<String, Object>> history, String key, double scale) {
        XYSeries s = new XYSeries(name);
        for (Map<String, Object> h : history) {
            if (h.containsKey(key) && h.containsKey("epoch")) {
                s.add(Json.toDouble(h.get("epoch")), scale * Json.toDouble(h.get(key)));
            }
        }
        return s;
    }

    /** Adds a non-empty series drawn in {@code color}: its points as {@code shape}, joined by a line or not. */
    private static void addSeries(XYSeriesCollection data, XYLineAndShapeRenderer renderer, XYSeries s, Color color, Shape shape,
                                  boolean line) {
        if (s.isEmpty()) {
            return;
        }
        data.addSeries(s);
        int i = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(i, color);
        renderer.setSeriesShape(i, shape);
        renderer.setSeriesStroke(i, new BasicStroke(2f));
        renderer.setSeriesLinesVisible(i, line);
    }

    /** The range test: batch loss (light) and smoothed loss against the learning rate (log scale), the suggestion marked. */
    static List<Path> learningRateFinder(LearningRateFinder.Result r, Path base) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        double[] log10Lr = Arrays.stream(r.lrs()).map(Math::log10).toArray();
        data.addSeries(xy("batch loss", log10Lr, r.losses()));
        renderer.setSeriesPaint(0, LIGHT);
        data.addSeries(xy("smoothed loss", log10Lr, r.smoothed()));
        renderer.setSeriesPaint(1, TRAIN);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        int i = indexOf(r.lrs(), r.suggestion());
        double y = i >= 0 ? r.smoothed()[i] : r.smoothed()[r.smoothed().length / 2];
        data.addSeries(xy(String.format(Locale.ROOT, "suggested lr %.2g", r.suggestion()), new double[] {Math.log10(r.suggestion())}, new double[] {y}));
        renderer.setSeriesPaint(2, MARK);
        renderer.setSeriesShape(2, DIAMOND);
        renderer.setSeriesShapesVisible(2, true);
        NumberAxis loss = numberAxis("training loss");
        double plateau = 0;                               // the highest smoothed loss before its minimum
        for (int k = 0; k < r.smoothed().length && r.lrs()[k] <= r.minimumLr(); k++) {
            plateau = Math.max(plateau, r.smoothed()[k]);
        }
        loss.setRange(0, 1.4 * plateau);
        XYPlot plot = plot(data, logAxis("learning rate (log scale)"), loss, renderer);
        ValueMarker suggested = new ValueMarker(Math.log10(r.suggestion()), MARK, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        plot.addDomainMarker(suggested);
        return save(List.of(new Picture(chart("learning-rate range test", TITLE_FONT, plot, true), WIDTH, HEIGHT)), 1, base);
    }

    private static XYSeries xy(String name, double[] x, double[] y) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < x.length; i++) {
            s.add(x[i], y[i]);
        }
        return s;
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The confusion matrix {@code counts[truth][predicted]}, class 0 at the top left: the count
     * written in each cell, each cell shaded from light (0) to dark (the largest count) on
     * {@code ln(1 + count)}, so that a handful of confusions shows next to a diagonal of thousands.
     */
    static List<Path> confusionMatrix(long[][] counts, Path base) {
        int k = counts.length;
        long max = 1;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        double[][] cells = new double[3][k * k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                cells[0][t * k + p] = p;
                cells[1][t * k + p] = t;
                cells[2][t * k + p] = counts[t][p];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", cells);
        LogCountScale shades = new LogCountScale(max);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(shades);
        String[] classes = new String[k];
        for (int c = 0; c < k; c++) {
            classes[c] = Integer.toString(c);
        }
        SymbolAxis predicted = symbolAxis("predicted class", classes);
        SymbolAxis truth = symbolAxis("true class", classes);
        truth.setInverted(true);
        predicted.setTickLabelFont(LABEL_FONT);
        truth.setTickLabelFont(LABEL_FONT);
        XYPlot plot = plot(data, predicted, truth, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        int cell = Math.max(16, Math.min(100, 520 / k));
        Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.min(14, (int) (cell * 0.32))));
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                XYTextAnnotation count = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
                count.setFont(countFont);
                count.setTextAnchor(TextAnchor.CENTER);
                count.setPaint(shades.fraction(counts[t][p]) > 0.55 ? Color.WHITE : TEXT);
                plot.addAnnotation(count);
            }
        }
        JFreeChart chart = chart("confusion matrix (test set)", TITLE_FONT, plot, false);
        TextTitle note = new TextTitle("shade: ln(1 + count), from white (0) to the darkest blue (" + max + ")", TICK_FONT);
        note.setPaint(TEXT);
        note.setPosition(RectangleEdge.BOTTOM);
        chart.addSubtitle(note);
        int side = k * cell;
        return save(List.of(new Picture(chart, side + 110, side + 130)), 1, base);
    }

    /** Shades a count c by {@code ln(1 + c) / ln(1 + max)} along {@link #BLUES}. */
    private record LogCountScale(long max) implements PaintScale {
        double fraction(double count) {
            return Math.log1p(Math.max(0, count)) / Math.log1p(max);
        }

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return max;
        }

        @Override
        public Paint getPaint(double count) {
            double x = Math.min(1, fraction(count)) * (BLUES.length - 1);
            int i = Math.min((int) x, BLUES.length - 2);
            double f = x - i;
            Color a = BLUES[i], b = BLUES[i + 1];
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                    (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                    (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }
    }

    /**
     * One small panel per varying hyperparameter: the score of every trial against the value it
     * took, the best trial in red. Ranges get a number axis (logarithmic for log-uniform ones),
     * choices one named position each (points spread a little sideways so that trials with the
     * same choice stay apart).
     *
     * @param trials each trial's parameter values
     * @param scores each trial's score
     * @param scoreName the score's axis label; a name with "loss" in it is better low, else high
     */
    static List<Path> tuningScatter(List<Map<String, Object>> trials, double[] scores, List<SearchSpace.Parameter> parameters,
                                    String scoreName, Path base) {
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (best < 0 || (scoreName.contains("loss") ? scores[i] < scores[best] : scores[i] > scores[best])) {
                best = i;
            }
        }
        List<Picture> charts = new ArrayList<>();
        for (SearchSpace.Parameter p : parameters) {
            String key = p.name();
            List<Object> categories = p.domain() instanceof SearchSpace.Choice c ? c.values() : null;
            boolean log = p.domain() instanceof SearchSpace.Range r && r.log();
            XYSeries others = new XYSeries("trial", false, true), top = new XYSeries("best trial", false, true);
            for (int i = 0; i < trials.size(); i++) {
                Object v = trials.get(i).get(key);
                if (v != null) {
                    double x = categories != null ? indexOf(categories, v) + spread(i)
                            : log ? Math.log10(Json.toDouble(v)) : Json.toDouble(v);
                    (i == best ? top : others).add(x, scores[i]);
                }
            }
            if (others.isEmpty() && top.isEmpty()) {
                continue;
            }
            ValueAxis axis;
            if (categories != null) {
                axis = symbolAxis(key, categories.stream().map(SearchSpace::text).toArray(String[]::new));
            } else if (log) {
                axis = logAxis(key + " (log scale)");
            } else {
                NumberAxis numbers = numberAxis(key);
                if (p.domain() instanceof SearchSpace.IntRange) {
                    numbers.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                }
                axis = numbers;
            }
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
            addSeries(data, renderer, others, TRAIN, CIRCLE, false);
            addSeries(data, renderer, top, MARK, DIAMOND, false);
            NumberAxis score = numberAxis(scoreName);
            score.setAutoRangeIncludesZero(false);
            charts.add(new Picture(chart(key, PANEL_TITLE_FONT, plot(data, axis, score, renderer), true), PANEL_WIDTH, PANEL_HEIGHT));
        }
        return charts.isEmpty() ? List.of() : save(charts, Math.min(3, charts.size()), base);
    }

    /** A fixed sideways offset in [−0.15, 0.15] for trial i (the golden-ratio sequence), for points on a choice. */
    private static double spread(int i) {
        double u = (i * 0.6180339887498949) % 1.0;
        return 0.3 * (u - 0.5);
    }

    private static int indexOf(List<Object> values, Object v) {
        for (int i = 0; i < values.size(); i++) {
            if (SearchSpace.text(values.get(i)).equals(SearchSpace.text(v))) {
                return i;
            }
        }
        return -1;
    }

    private static NumberAxis numberAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return style(axis);
    }

    /**
     * A logarithmic axis for data given as {@code log10(x)}, its ticks labelled with x itself
     * ({@code 1E-3}). (JFreeChart's LogAxis draws its labels as attributed strings, which the SVG
     * gets as glyph outlines.)
     */
    private static NumberAxis logAxis(String label) {
        NumberAxis axis = numberAxis(label);
        axis.setNumberFormatOverride(new PowerOfTen());
        return axis;
    }

    /** Formats v as {@code 10^v}: {@code -3 → 1E-3}, {@code -3.2 → 6.3E-4}. */
    private static final class PowerOfTen extends NumberFormat {
        private final DecimalFormat scientific = new DecimalFormat("0.#E0", DecimalFormatSymbols.getInstance(Locale.ROOT));

        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition position) {
            return scientific.format(Math.pow(10, v), to, position);
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition position) {
            return format((double) v, to, position);
        }

        @Override
        public Number parse(String text, ParsePosition position) {
            Number n = scientific.parse(text, position);
            return n == null ? null : Math.log10(n.doubleValue());
        }
    }

    private static SymbolAxis symbolAxis(String label, String[] symbols) {
        SymbolAxis axis = new SymbolAxis(label, symbols);
        axis.setGridBandsVisible(false);
        axis.setRange(-0.5, symbols.length - 0.5);
        return style(axis);
    }

    private static <A extends ValueAxis> A style(A axis) {
        axis.setLabelFont(LABEL_FONT);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setTickLabelPaint(TEXT);
        return axis;
    }

    private static XYPlot plot(XYDataset data, ValueAxis x, ValueAxis y, XYItemRenderer renderer) {
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    private static JFreeChart chart(String title, Font titleFont, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, titleFont, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setPaint(TEXT);
        chart.setPadding(new RectangleInsets(6, 6, 6, 12));
        LegendTitle key = chart.getLegend();
        if (key != null) {
            key.setFrame(BlockBorder.NONE);
            key.setItemFont(LABEL_FONT);
            key.setItemPaint(TEXT);
        }
        return chart;
    }

    /** A chart and the size it is drawn at. */
    private record Picture(JFreeChart chart, int width, int height) {
    }

    /** Writes the pictures in a grid of {@code columns} (cells the size of the first) as {@code base.png} and {@code base.svg}. */
    private static List<Path> save(List<Picture> charts, int columns, Path base) {
        int rows = (charts.size() + columns - 1) / columns;
        int w = charts.get(0).width(), h = charts.get(0).height();
        BufferedImage image = new BufferedImage(columns * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, columns * w, rows * h);
        paint(charts, columns, w, h, g);
        g.dispose();
        VectorGraphics2D svg = new VectorGraphics2D();
        paint(charts, columns, w, h, svg);
        ByteArrayOutputStream document = new ByteArrayOutputStream();
        try {
            new SVGProcessor().getDocument(svg.getCommands(), new PageSize(0, 0, columns * w, rows * h)).writeTo(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path png = base.resolveSibling(base.getFileName() + ".png"), vector = base.resolveSibling(base.getFileName() + ".svg");
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
        AtomicFiles.writeString(vector, withFontFallbacks(document.toString(StandardCharsets.UTF_8)));
        return List.of(png, vector);
    }

    /**
     * VectorGraphics2D leaves out the font of text in Java's default font (Dialog, 12) and names
     * other fonts by the machine's physical family ("DejaVu Sans"): the root gets sans-serif
     * 12px, and every named family sans-serif as the fallback, so that the text looks alike on a
     * machine without that family.
     */
    private static String withFontFallbacks(String svg) {
        return svg.replaceFirst("<svg ", "<svg font-family=\"sans-serif\" font-size=\"12px\" ")
                .replaceAll("font-family:&quot;([^&;]+)&quot;;", "font-family:&quot;$1&quot;,sans-serif;");
    }

    private static void paint(List<Picture> charts, int columns, int w, int h, Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int i = 0; i < charts.size(); i++) {
            Picture p = charts.get(i);
            p.chart().draw(g, new Rectangle2D.Double((i % columns) * w, (i / columns) * h, p.width(), p.height()));
        }
    }

    private static Shape diamond(double r) {
        Path2D.Double d = new Path2D.Double();
        d.moveTo(0, -r);
        d.lineTo(r, 0);
        d.lineTo(0, r);
        d.lineTo(-r, 0);
        d.closePath();
        return d;
    }
}
