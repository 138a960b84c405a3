package dev.descent.cli;

import dev.descent.minimize.Minimizer;
import dev.descent.minimize.Objective;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trajectories of optimizers over the filled contours of a function of two variables, drawn
 * with Java2D: log-spaced levels of {@code f − min f} (the minimum over the view), a legend,
 * ticks on both axes and a title.
 */
final class ContourPlot {
    /** One trajectory with its legend label. */
    record Series(String label, Minimizer.Trajectory trajectory) {
    }

    /** The region shown. */
    record View(double xMin, double xMax, double yMin, double yMax) {
    }

    private static final Color[] PALETTE = {
            new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD),
            new Color(0xFF7F0E), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)};
    private static final int LEVELS = 18;
    private static final int LEFT = 72, RIGHT = 24, TOP = 48, BOTTOM = 56;

    private ContourPlot() {
    }

    /** A view holding every trajectory point that is not far uphill of its start, and the known minima near them, padded. */
    static View defaultView(Objective f, List<Series> series) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, yMin = xMin, yMax = xMax;
        for (Series s : series) {
            List<Minimizer.Point> pts = s.trajectory().points();
            double ceiling = Math.abs(pts.get(0).value()) * 4 + 1;
            for (Minimizer.Point p : pts) {
                if (Double.isFinite(p.value()) && p.value() <= ceiling) {
                    xMin = Math.min(xMin, p.x()[0]);
                    xMax = Math.max(xMax, p.x()[0]);
                    yMin = Math.min(yMin, p.x()[1]);
                    yMax = Math.max(yMax, p.x()[1]);
                }
            }
        }
        double w = xMax - xMin, h = yMax - yMin;
        for (double[] m : f.minima()) {
            if (m[0] >= xMin - w && m[0] <= xMax + w && m[1] >= yMin - h && m[1] <= yMax + h) {
                xMin = Math.min(xMin, m[0]);
                xMax = Math.max(xMax, m[0]);
                yMin = Math.min(yMin, m[1]);
                yMax = Math.max(yMax, m[1]);
            }
        }
        double span = Math.max(xMax - xMin, yMax - yMin);
        double padX = Math.max(0.12 * (xMax - xMin), 0.05 * span), padY = Math.max(0.12 * (yMax - yMin), 0.05 * span);
        if (span == 0) {
            padX = padY = 1;
        }
        return new View(xMin - padX, xMax + padX, yMin - padY, yMax + padY);
    }

    static BufferedImage draw(Objective f, List<Series> series, View v, int width, int height, String title) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int pw = width - LEFT - RIGHT, ph = height - TOP - BOTTOM;
        fillContours(img, f, v, pw, ph);

        // frame, ticks, labels
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12), titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(0x333333));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, pw, ph);
        for (double t : ticks(v.xMin(), v.xMax(), Math.max(3, pw / 90))) {
            int px = (int) Math.round(LEFT + (t - v.xMin()) / (v.xMax() - v.xMin()) * pw);
            g.drawLine(px, TOP + ph, px, TOP + ph + 5);
            String s = tickLabel(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + ph + 7 + fm.getAscent());
        }
        for (double t : ticks(v.yMin(), v.yMax(), Math.max(3, ph / 60))) {
            int py = (int) Math.round(TOP + ph - (t - v.yMin()) / (v.yMax() - v.yMin()) * ph);
            g.drawLine(LEFT - 5, py, LEFT, py);
            String s = tickLabel(t);
            g.drawString(s, LEFT - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        String xLabel = "x0 (x)", yLabel = "x1 (y)";
        g.drawString(xLabel, LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, height - 12);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + ph / 2) - fm.stringWidth(yLabel) / 2, 18);
        rotated.dispose();
        g.setFont(titleFont);
        g.drawString(title, LEFT, TOP - 26);
        g.setFont(small);
        g.setColor(new Color(0x555555));
        g.drawString("filled contours of f, log-spaced levels; o start, \u25CF end, + minimum", LEFT, TOP - 8);

        // minima, trajectories
        Graphics2D plot = (Graphics2D) g.create();
        plot.clipRect(LEFT, TOP, pw, ph);
        plot.setStroke(new BasicStroke(2f));
        plot.setColor(Color.BLACK);
        for (double[] m : f.minima()) {
            double px = toX(m[0], v, pw), py = toY(m[1], v, ph);
            plot.draw(new java.awt.geom.Line2D.Double(px - 7, py, px + 7, py));
            plot.draw(new java.awt.geom.Line2D.Double(px, py - 7, px, py + 7));
        }
        for (int k = 0; k < series.size(); k++) {
            Color c = PALETTE[k % PALETTE.length];
            List<Minimizer.Point> pts = series.get(k).trajectory().points();
            Path2D.Double path = new Path2D.Double();
            List<double[]> pixels = new ArrayList<>();
            for (Minimizer.Point p : pts) {
                if (!Double.isFinite(p.x()[0]) || !Double.isFinite(p.x()[1])) {
                    break;
                }
                double px = clamp(toX(p.x()[0], v, pw)), py = clamp(toY(p.x()[1], v, ph));
                if (pixels.isEmpty()) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
                pixels.add(new double[] {px, py});
            }
            plot.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 220));
            plot.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            plot.draw(path);
            if (pixels.size() <= 400) {
                for (double[] p : pixels) {
                    plot.fill(new Ellipse2D.Double(p[0] - 2.2, p[1] - 2.2, 4.4, 4.4));
                }
            }
            if (!pixels.isEmpty()) {
                double[] s = pixels.get(0), e = pixels.get(pixels.size() - 1);
                plot.setColor(Color.BLACK);
                plot.setStroke(new BasicStroke(1.5f));
                plot.draw(new Ellipse2D.Double(s[0] - 6, s[1] - 6, 12, 12));
                plot.setColor(c);
                plot.fill(new Ellipse2D.Double(e[0] - 5, e[1] - 5, 10, 10));
                plot.setColor(Color.BLACK);
                plot.draw(new Ellipse2D.Double(e[0] - 5, e[1] - 5, 10, 10));
            }
        }
        plot.dispose();

        // legend, inside the plot at the top right
        int rows = series.size(), lineH = fm.getHeight() + 4, legendW = 0;
        List<String> labels = new ArrayList<>();
        for (Series s : series) {
            Minimizer.Point last = s.trajectory().last();
            String label = String.format(Locale.ROOT, "%s  f=%s after %d steps%s", s.label(), number(last.value()),
                    last.step(), s.trajectory().stop() == Minimizer.Stop.DIVERGED ? " (diverged)" : "");
            labels.add(label);
            legendW = Math.max(legendW, fm.stringWidth(label));
        }
        int boxW = legendW + 44, boxH = rows * lineH + 10;
        int bx = LEFT + pw - boxW - 10, by = TOP + 10;
        g.setColor(new Color(255, 255, 255, 215));
        g.fillRoundRect(bx, by, boxW, boxH, 8, 8);
        g.setColor(new Color(0x888888));
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(bx, by, boxW, boxH, 8, 8);
        for (int k = 0; k < rows; k++) {
            int y = by + 5 + k * lineH + lineH / 2;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(bx + 8, y, bx + 30, y);
            g.setColor(new Color(0x222222));
            g.drawString(labels.get(k), bx + 36, y + fm.getAscent() / 2 - 1);
        }
        g.dispose();
        return img;
    }

    /** Fills the plot area with bands between log-spaced levels of {@code f − min}, and darkens band edges (the contour lines). */
    private static void fillContours(BufferedImage img, Objective f, View v, int pw, int ph) {
        double[][] coords = new double[2][pw * ph];
        for (int j = 0; j < ph; j++) {
            double y = v.yMax() - (j + 0.5) / ph * (v.yMax() - v.yMin());
            for (int i = 0; i < pw; i++) {
                coords[0][j * pw + i] = v.xMin() + (i + 0.5) / pw * (v.xMax() - v.xMin());
                coords[1][j * pw + i] = y;
            }
        }
        double[] z = f.values(coords);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double value : z) {
            if (Double.isFinite(value)) {
                lo = Math.min(lo, value);
                hi = Math.max(hi, value);
            }
        }
        double range = hi - lo;
        double first = range > 0 ? range * 1e-4 : 1;   // lowest level above the minimum
        double ratio = range > 0 ? Math.pow(range / first, 1.0 / LEVELS) : 2;
        int[] band = new int[z.length];
        for (int k = 0; k < z.length; k++) {
            double d = z[k] - lo;
            band[k] = !Double.isFinite(z[k]) ? LEVELS : d <= first ? 0
                    : Math.min(LEVELS, 1 + (int) Math.floor(Math.log(d / first) / Math.log(ratio)));
        }
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                int k = j * pw + i;
                Color c = colour(band[k] / (double) LEVELS);
                boolean edge = (i + 1 < pw && band[k + 1] != band[k]) || (j + 1 < ph && band[k + pw] != band[k]);
                int rgb = edge ? darker(c) : c.getRGB();
                img.setRGB(LEFT + i, TOP + j, rgb);
            }
        }
    }

    /** A light sequential colour map: pale blue (low) through pale green to pale yellow and sand (high). */
    private static Color colour(double t) {
        double[][] stops = {{0.19, 0.34, 0.58}, {0.26, 0.58, 0.66}, {0.45, 0.75, 0.55}, {0.85, 0.88, 0.45}, {0.97, 0.82, 0.55}};
        double s = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int a = Math.min(stops.length - 2, (int) s);
        double u = s - a;
        double lighten = 0.45;
        float[] rgb = new float[3];
        for (int i = 0; i < 3; i++) {
            double c = stops[a][i] * (1 - u) + stops[a + 1][i] * u;
            rgb[i] = (float) (c + (1 - c) * lighten);
        }
        return new Color(rgb[0], rgb[1], rgb[2]);
    }

    private static int darker(Color c) {
        return new Color((int) (c.getRed() * 0.72), (int) (c.getGreen() * 0.72), (int) (c.getBlue() * 0.72)).getRGB();
    }

    private static double toX(double x, View v, int pw) {
        return LEFT + (x - v.xMin()) / (v.xMax() - v.xMin()) * pw;
    }

    private static double toY(double y, View v, int ph) {
        return TOP + ph - (y - v.yMin()) / (v.yMax() - v.yMin()) * ph;
    }

    private static double clamp(double pixel) {
        return Math.max(-1e5, Math.min(1e5, pixel));
    }

    /** Round tick values (1, 2 or 5 times a power of ten apart), about {@code target} of them. */
    static List<Double> ticks(double lo, double hi, int target) {
        double raw = (hi - lo) / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    private static String tickLabel(double t) {
        String s = String.format(Locale.ROOT, "%.6g", t);
        if (s.contains("e")) {
            return s;
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e4 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.2e", v);
    }
}
