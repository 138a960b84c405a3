package dev.descent.cli;

import dev.descent.Descent;
import picocli.CommandLine;

/** The version line of {@code descent --version}: the build's version ({@link Descent#version()}) and Java's. */
final class Version implements CommandLine.IVersionProvider {
    static final String VERSION = Descent.version();

    @Override
    public String[] getVersion() {
        return new String[] {"descent " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
