package dev.descent.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real data sets ({@code mnist/}, {@code text/}) under the folder named by system property
 * {@code descent.data} (set by the Maven build), else under env {@code DESCENT_DATA}.
 */
public final class TestData {
    private TestData() {
    }

    /** The real MNIST folder. */
    public static Path mnist() {
        return folder("mnist");
    }

    /** The text corpora folder ({@code kjv.txt}). */
    public static Path text() {
        return folder("text");
    }

    private static Path folder(String name) {
        String property = System.getProperty("descent.data"), env = System.getenv("DESCENT_DATA");
        return Stream.of(property, env)
                .filter(root -> root != null && !root.isBlank())
                .map(root -> Path.of(root, name))
                .filter(Files::isDirectory)
                .findFirst()
                .orElseGet(() -> fail("no " + name + "/ folder under descent.data (" + property + ") or DESCENT_DATA ("
                        + env + "); set DESCENT_DATA to the folder holding " + name + "/"));
    }
}
