package dev.descent.cli;

import dev.descent.io.Json;
import dev.descent.train.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code descent generate}: text from a character model ({@link Model#generate}): the prompt
 * warms the model's state, then each character is drawn from {@code softmax(z / T)} of the
 * model's scores {@code z} at temperature {@code T} (0: the most likely one) and fed back.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write text with a character model trained by `descent train FILE.txt`: the prompt, then what the model"
                + " samples after it (the same seed gives the same text).",
                "Example: descent generate --model runs/kjv --prompt \"And God said\" --length 300 --seed 1"})
final class GenerateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Run folder of a character model.")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT",
            description = "The text to continue; every character must be in the model's vocabulary.")
    String prompt;

    @Option(names = "--length", paramLabel = "N", defaultValue = "200", description = "Characters to write (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Sampling temperature: below 1 safer, above 1 wilder, 0 always the most likely character (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print {\"prompt\": ..., \"text\": ...} as one JSON line instead of the text.")
    boolean json;

    @Override
    public void run() {
        String text = Model.load(model).generate(prompt, length, temperature, seed);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("prompt", prompt);
            result.put("text", text);
            out.println(Json.write(result));
        } else {
            out.println(prompt + text);
        }
    }
}
