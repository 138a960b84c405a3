package dev.descent.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real MNIST: {@code mnist/} under the folder named by system property {@code descent.data}
 * (set by the Maven build), else under env {@code DESCENT_DATA}.
 */
final class TestData {
    private TestData() {
    }

    static Path mnist() {
        String property = System.getProperty("descent.data"), env = System.getenv("DESCENT_DATA");
        return Stream.of(property, env)
                .filter(root -> root != null && !root.isBlank())
                .map(root -> Path.of(root, "mnist"))
                .filter(Files::isDirectory)
                .findFirst()
                .orElseGet(() -> fail("no mnist/ folder under descent.data (" + property + ") or DESCENT_DATA ("
                        + env + "); set DESCENT_DATA to the folder holding mnist/"));
    }
}
