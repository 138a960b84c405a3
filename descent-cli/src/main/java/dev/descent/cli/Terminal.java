package dev.descent.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard error goes to a person at a terminal (progress bars redraw) or to a file. */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null || System.getenv("CI") != null) {
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
