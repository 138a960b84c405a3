package dev.descent.cli;

import picocli.CommandLine;

/** The version line of {@code descent --version}. */
final class Version implements CommandLine.IVersionProvider {
    static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"descent " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
