package dev.descent.cli;

import dev.descent.io.Json;
import dev.descent.train.DataKind;
import dev.descent.train.Setting;
import dev.descent.train.TrainingSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.Objects;

/**
 * The bridge between the command line and {@link Setting}s: every option whose name is a
 * setting's flag ({@code --batch-size} → {@link Setting#BATCH_SIZE}) becomes that setting when
 * the user gives it, so options and settings never drift apart and defaults live only in the
 * core (the help texts read them from the {@code descent.default.KEY} system properties).
 */
final class CommandLineSettings {
    private CommandLineSettings() {
    }

    /** Makes every setting's default readable by the help texts as {@code ${sys:descent.default.KEY}}. */
    static void publishDefaults() {
        for (Setting s : Setting.values()) {
            String images = text(s, s.defaultFor(DataKind.IMAGES));
            StringBuilder text = new StringBuilder(images);
            for (DataKind kind : new DataKind[] {DataKind.TABLE, DataKind.TEXT}) {
                String other = text(s, s.defaultFor(kind));
                if (!Objects.equals(images, other) && s.appliesTo().contains(kind)) {
                    text.append("; ").append(kind == DataKind.TABLE ? "tables" : "text").append(": ").append(other);
                }
            }
            System.setProperty("descent.default." + s.key(), text.toString());
        }
    }

    private static String text(Setting s, Object value) {
        if (value == null) {
            return "none";
        }
        Object json = s.toJson(value);
        return json instanceof String str ? str : Json.write(json).replace("[", "").replace("]", "");
    }

    /** The settings given on the command line {@code spec} parsed (options, and the DATASET argument). */
    static TrainingSettings given(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        TrainingSettings settings = TrainingSettings.defaults();
        for (OptionSpec option : parsed.matchedOptions()) {
            Setting s = Setting.byName(option.longestName());
            if (s != null) {
                settings = settings.with(s, option.getValue());
            }
        }
        if (!parsed.matchedPositionals().isEmpty() && parsed.matchedPositionals().get(0).paramLabel().equals("DATASET")) {
            settings = settings.with(Setting.DATASET, parsed.matchedPositionals().get(0).getValue());
        }
        return settings;
    }
}
