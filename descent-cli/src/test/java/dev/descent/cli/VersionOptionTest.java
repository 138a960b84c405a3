package dev.descent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code descent --version} prints the version written in the root pom, and Java's. */
class VersionOptionTest {
    @Test
    void versionOptionPrintsThePomVersion() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher version = Pattern.compile("<artifactId>descent-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find(), "the root pom names descent-parent's version");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "--version");

        assertEquals(0, status);
        assertEquals("descent " + version.group(1).strip() + " (Java " + Runtime.version() + ")",
                out.toString(StandardCharsets.UTF_8).strip());
    }
}
