package dev.descent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Descent#version()} is the version written in the root pom, as the build filtered it in. */
class DescentTest {
    /** The {@code <version>} right after {@code <artifactId>descent-parent</artifactId>} in the root pom. */
    static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<artifactId>descent-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom names descent-parent's version");
        return m.group(1).strip();
    }

    @Test
    void versionIsThePomVersion() throws IOException {
        assertEquals(pomVersion(), Descent.version());
    }
}
