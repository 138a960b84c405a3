package dev.descent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code descent optimize} run in-process: CSV trajectories, PNG plots, one-line errors that leave no file. */
class OptimizeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheTrajectoryAsCsv() throws IOException {
        Path csv = tmp.resolve("traj.csv");
        CliTest.Run r = CliTest.run("optimize", "--function", "rosenbrock", "--x0", "-1.2,1", "--optimizer", "adam",
                "--opt", "lr=0.01", "--steps", "200", "--out", csv.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,f,x0,x1", lines.get(0));
        assertEquals(1 + 201, lines.size());
        String[] first = lines.get(1).split(","), last = lines.get(201).split(",");
        assertEquals("0", first[0]);
        assertEquals(24.2, Double.parseDouble(first[1]), 1e-9);
        assertArrayEquals(new double[] {-1.2, 1}, new double[] {Double.parseDouble(first[2]), Double.parseDouble(first[3])});
        assertEquals("200", last[0]);
        assertTrue(Double.parseDouble(last[1]) < Double.parseDouble(first[1]) / 4, "f decreases overall: " + lines.get(201));
        assertTrue(r.err().contains("adam lr=0.01: f = "), r.err());
    }

    @Test
    void naiveGradientDescentOnAFormulaStopsAtTheTolerance() throws IOException {
        Path csv = tmp.resolve("gd.csv");
        CliTest.Run r = CliTest.run("optimize", "--function", "(x-1)^2 + 10*sin(y)^2", "--x0", "-1,1", "--optimizer", "gd",
                "--lr", "0.04", "--tolerance", "1e-6", "--steps", "5000", "--out", csv.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.size() < 1000, "stopped early: " + lines.size());
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals(1, Double.parseDouble(last[2]), 1e-6);
        assertTrue(r.err().contains("gradient norm below"), r.err());
    }

    @Test
    void withoutOutTheCsvGoesToStandardOutput() {
        CliTest.Run r = CliTest.run("optimize", "--function", "x0^2 + x1^2 + x2^2", "--x0", "1,2,3", "--optimizer", "sgd",
                "--lr", "0.1", "--steps", "3");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals("step,f,x0,x1,x2", lines[0]);
        assertEquals(5, lines.length);
        assertEquals("0,14.0,1.0,2.0,3.0", lines[1]);
    }

    @Test
    void plotsSeveralOptimizersAsAPngOfTheRequestedSize() throws IOException {
        Path png = tmp.resolve("canyon.png"), csv = tmp.resolve("all.csv");
        CliTest.Run r = CliTest.run("optimize", "--function", "canyon", "--compare",
                "sgd:lr=0.02,momentum:lr=0.02,rmsprop:lr=0.1,adam:lr=0.3,b1=0.8", "--steps", "40",
                "--plot", png.toString(), "--size", "640x480", "--out", csv.toString());
        assertEquals(0, r.status(), r.err());
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("optimizer,step,f,x0,x1", lines.get(0));
        assertEquals(1 + 4 * 41, lines.size());
        assertTrue(lines.get(lines.size() - 1).startsWith("adam;lr=0.3;b1=0.8,40,"), lines.get(lines.size() - 1));
        assertTrue(r.err().contains("momentum lr=0.02"), r.err());
    }

    @Test
    void defaultLearningRatesInTheComparison() throws IOException {
        Path png = tmp.resolve("h.png");
        CliTest.Run r = CliTest.run("optimize", "--function", "himmelblau", "--compare", "sgd,momentum,rmsprop,adam,gd",
                "--steps", "20", "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("rmsprop lr=0.001:") && r.err().contains("gd lr=0.01:"), r.err());
        assertEquals(900, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void acceptsTheSpellingsOfOptaxAndPyTorch() {
        CliTest.Run r = CliTest.run("optimize", "--function", "rosenbrock", "--compare",
                "adam:learning_rate=0.3,betas=(0.8, 0.99),nesterov=true,polyak_sgd:max_learning_rate=0.5", "--steps", "5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("adam lr=0.3 b1=0.8 b2=0.99 nesterov=1:"), r.err());
        assertTrue(r.err().contains("polyak_sgd lr=1 max_learning_rate=0.5:"), r.err());
    }

    @Test
    void badInputGivesOneLineExitTwoAndNoFile() throws IOException {
        String[][] cases = {
                {"--function", "rosenbrok"},
                {"--function", "(x + 1"},
                {"--function", "rosenbrock", "--x0", "1,2,3"},
                {"--function", "rosenbrock", "--x0", "1,abc"},
                {"--function", "x^2 + y^2"},
                {"--optimizer", "adma"},
                {"--opt", "lr"},
                {"--opt", "beta=0.3"},
                {"--compare", "sgd:lr=0.1,nadma"},
                {"--compare", "sgd:lr=oops"},
                {"--compare", "lr=0.1,sgd"},
                {"--compare", "adam:lr=0.1,learning_rate=0.2"},
                {"--optimizer", "sgd", "--opt", "nesterov=maybe"},
                {"--optimizer", "sgd", "--opt", "lr=true"},
                {"--optimizer", "adam", "--compare", "sgd"},
                {"--function", "x0 + x1 + x2", "--x0", "1,1,1"},   // no plot of 3 variables
                {"--size", "12x5"},
                {"--view", "1,0,0,1"},
                {"--steps", "-1"},
        };
        for (String[] extra : cases) {
            Path csv = tmp.resolve("bad.csv"), png = tmp.resolve("bad.png");
            String[] args = new String[extra.length + 5];
            args[0] = "optimize";
            System.arraycopy(extra, 0, args, 1, extra.length);
            args[extra.length + 1] = "--out";
            args[extra.length + 2] = csv.toString();
            args[extra.length + 3] = "--plot";
            args[extra.length + 4] = png.toString();
            CliTest.Run r = CliTest.run(args);
            String what = String.join(" ", extra) + " -> " + r.err();
            assertEquals(2, r.status(), what);
            assertEquals(1, r.err().strip().lines().count(), what);
            assertTrue(r.err().startsWith("descent: error: "), what);
            assertFalse(Files.exists(csv), what);
            assertFalse(Files.exists(png), what);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temporary files left");
        }
    }
}
