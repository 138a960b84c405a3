package dev.descent.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard error goes to a person at a terminal (progress bars redraw) or to a file. The
 * launcher knows (it tests the stream before filtering it) and says so in the system property
 * {@code descent.terminal}; without it (Java started otherwise) the console is asked.
 */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        if (System.getenv("CI") != null) {
            return false;
        }
        String told = System.getProperty("descent.terminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // Java 22+ returns a console even when redirected; ask it.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
