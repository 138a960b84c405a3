package dev.descent.cli;

import dev.descent.DescentException;
import dev.descent.io.AtomicFiles;
import dev.descent.minimize.Minimizer;
import dev.descent.minimize.Objective;
import dev.descent.optim.GradientTransformation;
import dev.descent.optim.OptimizerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.Map;

/**
 * {@code descent optimize}: runs optimizers on a plain function of a few variables, writes
 * their trajectories as CSV and draws them over the function's contours.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Minimize a function of a few variables with an optimizer; write the trajectory (CSV) and plot it.",
                "Example: descent optimize --function rosenbrock --x0 -1.2,1 --optimizer adam --opt lr=0.01 --steps 200 --out traj.csv",
                "         descent optimize --function canyon --compare sgd:lr=0.075,momentum:lr=0.01,rmsprop:lr=0.15,adam:lr=0.3 --steps 50 --plot canyon.png",
                "Built-in functions: canyon, rosenbrock, booth, beale, himmelblau; or a formula in x0, x1, ... (or x, y)",
                "with + - * / ^, parentheses and sin cos exp log sqrt abs tanh, e.g. \"(x-1)^2 + 10*sin(y)^2\"."})
final class OptimizeCommand implements Runnable {
    /** The lecture's naive gradient descent: {@code θ := θ − lr·∇f(θ)} until {@code ‖∇f‖ < tolerance}. */
    static final String NAIVE = "gd";
    static final double NAIVE_LR = 0.01;

    @Spec
    CommandSpec spec;

    @Option(names = "--function", paramLabel = "NAME|FORMULA", defaultValue = "canyon",
            description = "canyon, rosenbrock, booth, beale, himmelblau, or a formula (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--x0", paramLabel = "X,Y,...", description = "Start point (default: the built-in's usual start; required for a formula).")
    String x0;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "gd (the lecture's naive gradient descent, with --lr and --tolerance) or one of `descent optimizers` (default: adam).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: the optimizer's; gd: " + NAIVE_LR + ").")
    Double learningRate;

    @Option(names = "--opt", paramLabel = "K=V,...", description = "Optimizer hyperparameters, e.g. lr=0.01,b1=0.8.")
    String hyperparameters;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", description = "Updates to make (gd: at most) (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--tolerance", paramLabel = "EPS", defaultValue = "1e-6",
            description = "gd stops when the gradient norm is below this (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--compare", paramLabel = "OPT[:K=V,...],...",
            description = "Several optimizers, each with its own settings, e.g. \"sgd:lr=0.02,momentum:lr=0.02,rmsprop:lr=0.1,adam:lr=0.3\".")
    String compare;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV file: step,f,x0,x1,... one row per step, row 0 the start"
            + " (with --compare a first column optimizer). Without --out and --plot the CSV goes to standard output.")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the trajectories over the contours of f (2 variables).")
    Path plot;

    @Option(names = "--overwrite", description = "Replace the --out and --plot files if they exist.")
    boolean overwrite;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "900x640", description = "Plot size in pixels (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--view", paramLabel = "XMIN,XMAX,YMIN,YMAX", description = "Plot region (default: around the trajectories).")
    String view;

    @Option(names = "--title", paramLabel = "TEXT", description = "Plot title (default: the function).")
    String title;

    /** One optimizer to run: its name, settings, and legend label. */
    record Run(String name, Map<String, Double> settings, String label) {
    }

    @Override
    public void run() {
        if (steps < 0) {
            throw new DescentException("--steps must be 0 or more, got " + steps);
        }
        if (!(tolerance >= 0)) {
            throw new DescentException("--tolerance must be 0 or more, got " + tolerance);
        }
        if (learningRate != null && !(learningRate > 0)) {
            throw new DescentException("--lr must be positive, got " + learningRate);
        }
        OutputFiles.check(Stream.of(out, plot).filter(java.util.Objects::nonNull).toList(), overwrite);
        Objective f = Objective.of(function);
        double[] start = startPoint(f);
        int[] dims = plot == null ? null : size();
        ContourPlot.View box = view == null ? null : view();
        if (plot != null && f.dimension() != 2) {
            throw new DescentException("--plot draws functions of 2 variables; " + f.name() + " has " + f.dimension());
        }
        List<Run> runs = compare != null ? parseCompare() : List.of(single());
        List<GradientTransformation> txs = new ArrayList<>();
        for (Run r : runs) {   // build them all first: a bad name or setting fails before any work or file
            txs.add(r.name().equals(NAIVE) ? null : OptimizerRegistry.create(r.name(), r.settings()));
        }

        List<ContourPlot.Series> series = new ArrayList<>();
        PrintWriter log = spec.commandLine().getErr();
        for (int k = 0; k < runs.size(); k++) {
            Run r = runs.get(k);
            Minimizer.Trajectory t = txs.get(k) == null
                    ? Minimizer.gradientDescent(f, start, r.settings().getOrDefault("lr", NAIVE_LR), tolerance, steps)
                    : Minimizer.run(f, txs.get(k), start, steps);
            series.add(new ContourPlot.Series(r.label(), t));
            Minimizer.Point last = t.last();
            log.printf(Locale.ROOT, "%s: f = %s at (%s) after %d steps%s%n", r.label(), ContourPlot.number(last.value()),
                    coordinates(last.x()), last.step(), switch (t.stop()) {
                        case CONVERGED -> ", gradient norm below " + tolerance;
                        case DIVERGED -> ": diverged, lower the learning rate";
                        case STEPS -> "";
                    });
        }

        String csv = csv(f, series, compare != null);
        BufferedImage image = null;
        if (plot != null) {
            ContourPlot.View v = box != null ? box : ContourPlot.defaultView(f, series);
            image = ContourPlot.draw(f, series, v, dims[0], dims[1], title != null ? title : f.describe());
        }
        if (out != null) {
            AtomicFiles.writeString(out, csv);
        }
        if (image != null) {
            BufferedImage img = image;
            AtomicFiles.write(plot, stream -> {
                if (!ImageIO.write(img, "png", stream)) {
                    throw new IOException("no PNG writer");
                }
            });
            log.println("wrote " + plot);
        }
        if (out == null && plot == null) {
            spec.commandLine().getOut().print(csv);
            spec.commandLine().getOut().flush();
        }
    }

    private Run single() {
        Map<String, Double> settings = OptimizerRegistry.parse(hyperparameters == null ? "" : hyperparameters);
        if (learningRate != null) {
            settings.put("lr", learningRate);
        }
        return run(optimizer == null ? "adam" : optimizer, settings);
    }

    /**
     * The run of optimizer {@code name} with {@code settings} under the table's names (a spelling such
     * as learning_rate given with --lr fails as given twice); gd takes only lr.
     */
    private static Run run(String name, Map<String, Double> settings) {
        if (name.equals(NAIVE)) {
            for (String key : settings.keySet()) {
                if (!key.equals("lr")) {
                    throw new DescentException("gd (naive gradient descent) takes only lr, not '" + key + "'; set the stop with --tolerance");
                }
            }
            return new Run(name, settings, label(name, settings));
        }
        Map<String, Double> canonical = OptimizerRegistry.row(name).canonical(settings);
        return new Run(name, canonical, label(name, canonical));
    }

    /** {@code "sgd:lr=0.02,momentum:lr=0.02,momentum=0.8,adam"}: a name (with ':') starts an entry, k=v pairs add to it. */
    private List<Run> parseCompare() {
        if (optimizer != null || hyperparameters != null) {
            throw new DescentException("--compare names the optimizers and their settings; drop --optimizer and --opt"
                    + " (write e.g. --compare adam:lr=0.3,b1=0.8,sgd:lr=0.02)");
        }
        List<String> names = new ArrayList<>();
        List<StringBuilder> specs = new ArrayList<>();
        for (String part : compare.split(",(?![^(\\[]*[)\\]])", -1)) { // commas outside betas=(b1,b2)
            String p = part.trim();
            int colon = p.indexOf(':');
            if (colon >= 0 || !p.contains("=")) {
                String name = (colon >= 0 ? p.substring(0, colon) : p).trim();
                if (name.isEmpty()) {
                    throw new DescentException("malformed --compare '" + compare + "': an empty optimizer name;"
                            + " write e.g. sgd:lr=0.02,adam:lr=0.3");
                }
                names.add(name);
                specs.add(new StringBuilder(colon >= 0 ? p.substring(colon + 1) : ""));
            } else if (names.isEmpty()) {
                throw new DescentException("malformed --compare '" + compare + "': '" + p + "' comes before any optimizer name;"
                        + " write e.g. sgd:lr=0.02,adam:lr=0.3");
            } else {
                StringBuilder sb = specs.get(specs.size() - 1);
                sb.append(sb.isEmpty() ? "" : ",").append(p);
            }
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Double> settings = new LinkedHashMap<>();
            if (learningRate != null) {
                settings.put("lr", learningRate);
            }
            settings.putAll(OptimizerRegistry.parse(specs.get(i).toString()));
            runs.add(run(names.get(i), settings));
        }
        return runs;
    }

    private static String label(String name, Map<String, Double> settings) {
        Map<String, Double> shown = new LinkedHashMap<>();
        double lr = settings.getOrDefault("lr",
                name.equals(NAIVE) ? NAIVE_LR : OptimizerRegistry.defaults(name).getOrDefault("lr", Double.NaN));
        shown.put("lr", lr);
        settings.forEach((k, v) -> {
            if (!k.equals("lr")) {
                shown.put(k, v);
            }
        });
        StringBuilder sb = new StringBuilder(name);
        shown.forEach((k, v) -> sb.append(' ').append(k).append('=').append(compact(v)));
        return sb.toString();
    }

    /** {@code 0.07}, {@code 1e-08}: at most 4 significant digits, no trailing zeros. */
    static String compact(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e), exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + exponent;
    }

    private double[] startPoint(Objective f) {
        if (x0 == null) {
            if (f.start() == null) {
                throw new DescentException("give a start point for a formula of " + f.dimension()
                        + " variable" + (f.dimension() == 1 ? "" : "s") + " with --x0, e.g. --x0 " + "1,".repeat(f.dimension() - 1) + "1");
            }
            return f.start().clone();
        }
        String[] parts = x0.split(",", -1);
        double[] x = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                x[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                x[i] = Double.NaN;
            }
            if (!Double.isFinite(x[i])) {
                throw new DescentException("--x0 '" + x0 + "': '" + parts[i].trim() + "' is not a finite number;"
                        + " write comma-separated numbers, e.g. --x0 -1.2,1");
            }
        }
        f.checkArity(x);
        return x;
    }

    private int[] size() {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            int w = Integer.parseInt(wh[0].trim()), h = Integer.parseInt(wh[1].trim());
            if (wh.length == 2 && w >= 320 && h >= 240 && w <= 8000 && h <= 8000) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw new DescentException("--size '" + size + "' must be WIDTHxHEIGHT in pixels, from 320x240 to 8000x8000, e.g. 900x640");
    }

    private ContourPlot.View view() {
        String[] p = view.split(",", -1);
        double[] v = new double[p.length];
        try {
            for (int i = 0; i < p.length; i++) {
                v[i] = Double.parseDouble(p[i].trim());
            }
        } catch (NumberFormatException e) {
            v = new double[0];
        }
        if (v.length != 4 || !(v[0] < v[1]) || !(v[2] < v[3])) {
            throw new DescentException("--view '" + view + "' must be XMIN,XMAX,YMIN,YMAX with XMIN < XMAX and YMIN < YMAX, e.g. -2,2,-1,3");
        }
        return new ContourPlot.View(v[0], v[1], v[2], v[3]);
    }

    private static String csv(Objective f, List<ContourPlot.Series> series, boolean named) {
        StringBuilder sb = new StringBuilder(named ? "optimizer,step,f" : "step,f");
        for (int i = 0; i < f.dimension(); i++) {
            sb.append(",x").append(i);
        }
        sb.append('\n');
        for (ContourPlot.Series s : series) {
            for (Minimizer.Point p : s.trajectory().points()) {
                if (named) {
                    sb.append(s.label().replace(' ', ';')).append(',');
                }
                sb.append(p.step()).append(',').append(p.value());
                for (double x : p.x()) {
                    sb.append(',').append(x);
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String coordinates(double[] x) {
        List<String> s = new ArrayList<>();
        for (double v : x) {
            s.add(String.format(Locale.ROOT, "%.6g", v));
        }
        return String.join(", ", s);
    }
}
