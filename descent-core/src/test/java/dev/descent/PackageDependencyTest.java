package dev.descent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The core's packages depend on each other in one direction only: the graph of their imports
 * (read from the sources) has no cycle, so a newcomer can read them bottom-up
 * (tensor, autograd, nn, loss, optim, io, data, train).
 */
class PackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.descent(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void theCorePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> imports = importsByPackage();
        assertFalse(imports.isEmpty(), "no sources under " + SOURCES.toAbsolutePath());
        List<String> cycles = new ArrayList<>();
        for (String start : imports.keySet()) {
            List<String> path = cycleFrom(start, start, imports, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles);
    }

    @Test
    void theTensorPackageImportsNoOtherPackageButTheRoot() throws IOException {
        Set<String> tensorImports = importsByPackage().get("dev.descent.tensor");
        assertEquals(Set.of("dev.descent"), tensorImports);
    }

    /** A path of imports from {@code at} back to {@code start}, or null. */
    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> imports,
                                          List<String> path, Set<String> seen) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, imports, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    private static Map<String, Set<String>> importsByPackage() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("dev/descent"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("package-info.java") || name.equals("module-info.java")) {
                    continue;
                }
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> own = imports.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        own.add(m.group(1));
                    }
                }
            }
        }
        return imports;
    }
}
