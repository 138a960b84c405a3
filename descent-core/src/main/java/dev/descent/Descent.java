package dev.descent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of Descent: its version. */
public final class Descent {
    private static final String VERSION = readVersion();

    private Descent() {
    }

    /**
     * The version of Descent, as the build wrote it ({@code 0.1.0}, {@code 0.2.0-SNAPSHOT}): the
     * pom's {@code project.version}, filtered into {@code dev/descent/version.properties}.
     *
     * @return the version
     */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Descent.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/descent/version.properties is missing from descent-core's classes");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("dev/descent/version.properties was not filtered by the build: version=" + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
