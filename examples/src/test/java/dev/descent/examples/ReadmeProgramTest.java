package dev.descent.examples;

import dev.descent.train.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Use it from Java" program, as a user would meet it: its text is the file this
 * module compiles, and it compiles in a separate Maven project that depends on descent-core
 * installed in a local repository (offline), and runs there to the accuracy the README states.
 */
class ReadmeProgramTest {
    private static final Path ROOT = Path.of(System.getProperty("descent.root"));

    @TempDir
    Path tmp;

    /** The first ```java block after the heading, and the "test accuracy NN.NN%" the text after it states. */
    private record Section(String program, double statedAccuracy) {
    }

    private static Section readmeSection() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int heading = readme.indexOf("\n## Use it from Java");
        assertTrue(heading >= 0, "the README has no \"## Use it from Java\" section");
        int start = readme.indexOf("```java\n", heading) + "```java\n".length();
        int end = readme.indexOf("```", start);
        Matcher stated = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(readme.substring(end));
        assertTrue(stated.find(), "the README states no test accuracy after the program");
        return new Section(readme.substring(start, end), Double.parseDouble(stated.group(1)));
    }

    @Test
    void theReadmeProgramIsTheExampleThisBuildCompiles() throws IOException {
        assertEquals(Files.readString(ROOT.resolve("examples/src/main/java/MnistExample.java")), readmeSection().program());
    }

    @Test
    void theReadmeProgramBuildsAgainstTheInstalledArtifactAndReachesItsAccuracy() throws Exception {
        Section section = readmeSection();
        String version = System.getProperty("descent.version");
        Path repo = tmp.resolve("repository");
        Path core = install(repo, "descent-core", version, ROOT.resolve("descent-core/pom.xml"));
        Files.copy(ROOT.resolve("pom.xml"), dir(repo, "descent-parent", version).resolve("descent-parent-" + version + ".pom"));

        Path project = Files.createDirectories(tmp.resolve("my-app"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>my-app</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>dev.descent</groupId>
                      <artifactId>descent-core</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version));
        Path source = Files.createDirectories(project.resolve("src/main/java")).resolve("MnistExample.java");
        Files.writeString(source, section.program());

        run(project, List.of(ROOT.resolve("mvnw").toString(), "-o", "-q", "-B", "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + System.getProperty("descent.localRepository"), "compile"));
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String output = run(project, List.of(javaCommand, "--add-modules", "jdk.incubator.vector", "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + core, "MnistExample"));
        Matcher printed = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(output);
        assertTrue(printed.find(), output);
        assertEquals(section.statedAccuracy(), Double.parseDouble(printed.group(1)), 0.3, output);
        assertTrue(output.contains("image 0: 7 ("), output); // the first test image is a 7
        assertTrue(Files.exists(project.resolve("runs/java-mnist/model.safetensors")), output);
    }

    /** Copies a module's jar (made from its classes when the build has not packaged it) and pom into {@code repo}. */
    private static Path install(Path repo, String artifact, String version, Path pom) throws IOException, URISyntaxException {
        Path dir = dir(repo, artifact, version);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        Path jar = dir.resolve(artifact + "-" + version + ".jar");
        Path built = Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(built)) {
            Files.copy(built, jar);
        } else {
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(built)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    zip.putNextEntry(new JarEntry(built.relativize(f).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(f));
                    zip.closeEntry();
                }
            }
        }
        return jar;
    }

    private static Path dir(Path repo, String artifact, String version) throws IOException {
        return Files.createDirectories(repo.resolve("dev/descent").resolve(artifact).resolve(version));
    }

    /** Runs a command in {@code dir}, returns its output; fails the test on a non-zero status. */
    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + output);
        return output;
    }
}
