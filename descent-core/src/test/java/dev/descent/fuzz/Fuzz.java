package dev.descent.fuzz;

import dev.descent.DescentException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The fuzzing kit of the readers' fuzz targets ({@code *FuzzTest}): inputs made by mutating
 * valid seed files, and the oracle every reader must pass.
 *
 * <p>An input is a seed with up to {@value #MAX_MUTATIONS} {@link Mutation}s applied
 * (truncations, flipped bits, huge header numbers, format tokens inserted anywhere or after a
 * delimiter, cells and values replaced by tokens, JSON values removed or replaced by hostile
 * ones, copied, removed and repeated chunks), a soup of tokens, or random bytes. Half the
 * tokens are the target's own (its format's words), half common text breakers. jqwik draws them (new ones on every run, from
 * a random seed it prints) and, when an input fails, shrinks it to fewer and simpler
 * mutations. The number of inputs per target is jqwik's {@code tries}: the default of
 * {@code junit-platform.properties} for the brief run in {@code ./mvnw verify}, and
 * {@code -Djqwik.tries.default=N} for a long run (docs/fuzzing.md).
 *
 * <p>The oracle ({@link #check}): the reader returns, or throws a {@link DescentException}
 * whose message is one non-blank line; any other throwable (NullPointerException,
 * ArrayIndexOutOfBounds, NegativeArraySize, NumberFormatException, OutOfMemoryError,
 * StackOverflowError, ...) fails the target, and so does allocating more than
 * {@value #MAX_ALLOCATION_MB} MB for one input (a size trusted before it was checked).
 */
public final class Fuzz {
    /** The most mutations applied to one seed. */
    public static final int MAX_MUTATIONS = 8;
    /** The most memory one input may make a reader allocate, in MB. */
    public static final long MAX_ALLOCATION_MB = 256;

    /** Numbers that break size arithmetic: 0, ±1, the byte, short, int and long limits, MNIST's counts... */
    private static final List<Long> INTERESTING = List.of(0L, 1L, -1L, 2L, 127L, 128L, 255L, 256L, 32_767L, 65_535L,
            65_536L, 60_000L, 2_550_000L, 1L << 24, 100_000_001L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE,
            0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE);
    /** Text that breaks text formats; each target adds its own format's tokens. */
    private static final List<String> TEXT_TOKENS = List.of("\n", "\r\n", "\r", " ", "\t", ",", ";", "\"", "'", "\\",
            "{", "}", "[", "]", "(", ")", ":", "=", "?", "%", "-", "+", ".", "e", "0", "1", "-1", "1e999", "-1e999",
            "1e-999", "NaN", "Infinity", "2147483648", "9223372036854775808", "99999999999999999999", "1e99999999999",
            "\u0000", "\uFEFF", "é", "\uD83D\uDE00", "null", "true", "false");
    /** JSON values that break JSON readers: huge, negative and inexact numbers, wrong types, nesting. */
    private static final List<String> JSON_VALUES = List.of("0", "-1", "1.5", "1e308", "-1e308", "4.9e-324",
            "9223372036854775807", "-9223372036854775808", "9007199254740993", "4294967296", "2147483648", "65536",
            "\"\"", "\"x\"", "\"GLOBAL\"", "\"NaN\"", "\"Infinity\"", "null", "true", "false", "[]", "{}", "[0]",
            "[-1]", "[65536, 65536]", "[1e308, -1e308]", "[-9223372036854775808, 9223372036854775807]",
            "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]", "{\"a\": {\"b\": {\"c\": {}}}}");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Fuzz() {
    }

    /** A valid input the mutations start from. */
    public record Seed(String name, byte[] bytes) {
        /** A seed of UTF-8 text. */
        public static Seed text(String name, String text) {
            return new Seed(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /** A seed read from a file. */
        public static Seed file(Path file) {
            try {
                return new Seed(file.getFileName().toString(), Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One generated input: the name of its seed ({@code "tokens"} or {@code "random bytes"} for
     * the others), how it was made from it, for the report of a failure, and its bytes.
     */
    public record Input(String seed, String origin, byte[] bytes) {
        /** The seed's file name extension ({@code "arff"} of {@code "weather.arff"}), or "" when it has none. */
        public String extension() {
            int dot = seed.lastIndexOf('.');
            return dot < 0 ? "" : seed.substring(dot + 1);
        }

        /** The bytes as UTF-8 text (malformed sequences become U+FFFD). */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The bytes gzip-compressed. */
        public byte[] gzipped() {
            return gzip(bytes);
        }

        /** Writes the bytes to {@code file} (replacing it) and returns it. */
        public Path writeTo(Path file) {
            return write(file, bytes);
        }

        @Override
        public String toString() {
            int shown = Math.min(bytes.length, 512);
            return seed + " " + origin + " -> " + bytes.length + " bytes, hex " + HexFormat.of().formatHex(bytes, 0, shown)
                    + (shown < bytes.length ? "..." : "");
        }
    }

    /**
     * Inputs for a reader of the format the seeds are in: mostly mutated seeds, some soups of
     * {@code tokens} (the format's own words, with common text-breaking ones added) and some
     * random bytes.
     */
    public static Arbitrary<Input> inputs(List<Seed> seeds, List<String> tokens) {
        Arbitrary<String> words = tokens.isEmpty() ? Arbitraries.of(TEXT_TOKENS)
                : Arbitraries.oneOf(Arbitraries.of(TEXT_TOKENS), Arbitraries.of(tokens));
        Arbitrary<Input> mutants = Combinators.combine(Arbitraries.of(seeds),
                mutation(words).list().ofMaxSize(MAX_MUTATIONS)).as(Fuzz::mutate);
        Arbitrary<Input> soups = words.list().ofMaxSize(40)
                .map(list -> new Input("tokens", list.toString(), String.join("", list).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Input> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(256)
                .map(bytes -> new Input("random bytes", "", bytes));
        return Arbitraries.frequencyOf(Tuple.of(8, mutants), Tuple.of(1, soups), Tuple.of(1, noise));
    }

    private static Input mutate(Seed seed, List<Mutation> mutations) {
        byte[] bytes = seed.bytes();
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        return new Input(seed.name(), mutations.toString(), bytes);
    }

    private static Arbitrary<Mutation> mutation(Arbitrary<String> words) {
        Arbitrary<Integer> at = Arbitraries.integers().greaterOrEqual(0);
        return Arbitraries.frequencyOf(
                Tuple.of(2, at.map(Mutation.Truncate::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(Mutation.FlipBit::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.of(INTERESTING), Arbitraries.of(1, 2, 4, 8),
                        Arbitraries.of(true, false)).as(Mutation.PutNumber::new)),
                Tuple.of(3, Combinators.combine(at, words).as(Mutation.Insert::new)),
                Tuple.of(3, Combinators.combine(at, words).as(Mutation.InsertAfterDelimiter::new)),
                Tuple.of(3, Combinators.combine(at, words).as(Mutation.ReplaceAfterDelimiter::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.of(true, false), Arbitraries.of(JSON_VALUES))
                        .as(Mutation.JsonEdit::new)),
                Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(1, 32), at).as(Mutation.CopyChunk::new)),
                Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Mutation.Remove::new)),
                Tuple.of(1, Combinators.combine(at, Arbitraries.integers().between(1, 16),
                        Arbitraries.integers().between(2, 2000)).as(Mutation.Repeat::new)));
    }

    /**
     * The oracle: runs {@code read} on {@code input} and fails unless it returns or throws a
     * {@link DescentException} with a one-line message, allocating at most
     * {@value #MAX_ALLOCATION_MB} MB. Counts the outcomes ("read", "refused") in jqwik's statistics.
     */
    public static void check(Input input, Executable read) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        String outcome;
        try {
            read.execute();
            outcome = "read";
        } catch (DescentException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("the DescentException's message is not one line: '" + message + "' for " + input, e);
            }
            outcome = "refused";
        } catch (Throwable t) {
            throw new AssertionError("the reader threw " + t + " instead of returning or throwing a DescentException,"
                    + " for " + input, t);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > MAX_ALLOCATION_MB << 20) {
            throw new AssertionError("the reader allocated " + (allocated >> 20) + " MB (more than " + MAX_ALLOCATION_MB
                    + ") for " + input);
        }
        Statistics.label("outcome").collect(outcome);
    }

    /**
     * The bytes the current thread allocates while running {@code code}, for tests that a
     * reader checks a claimed size before allocating it; an exception from {@code code} fails.
     */
    public static long bytesAllocatedBy(Executable code) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            code.execute();
        } catch (Throwable t) {
            throw new AssertionError("unexpected " + t, t);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * A new scratch folder for a target's input files {@code names}, deleted with them when the
     * JVM exits.
     */
    public static Path scratch(String... names) {
        try {
            Path dir = Files.createTempDirectory("descent-fuzz");
            dir.toFile().deleteOnExit(); // registered first, deleted last
            for (String name : names) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bytes} gzip-compressed. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} to {@code file}, replacing it, and returns it. */
    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
