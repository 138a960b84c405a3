package dev.descent.spark;

import dev.descent.DescentException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars that carry Descent's classes to a cluster's executors ({@code spark.jars}): the jar
 * each given class was loaded from, or, for a class folder (a build's {@code target/classes}), a
 * temporary jar of that folder.
 */
final class ApplicationJars {
    private ApplicationJars() {
    }

    /** The jar paths of the classes' code sources, without repeats. */
    static List<String> of(Class<?>... classes) {
        Set<String> jars = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                Path source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                jars.add((Files.isDirectory(source) ? jarOf(source) : source).toAbsolutePath().toString());
            } catch (URISyntaxException | IOException e) {
                throw new DescentException("cannot find the jar of " + c.getName() + " for the executors (" + e.getMessage() + ")", e);
            }
        }
        return List.copyOf(jars);
    }

    private static Path jarOf(Path folder) throws IOException {
        Path jar = Files.createTempFile("descent-classes-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
