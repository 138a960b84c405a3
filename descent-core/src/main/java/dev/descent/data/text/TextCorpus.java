package dev.descent.data.text;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text for a character-level language model, split contiguously: the first
 * {@code ⌊0.9·n⌋} characters (code points) train, the rest validate. The {@link Vocabulary} is
 * built from the training part; validation characters outside it are left out (and counted,
 * {@link #unknownCharacters()}). {@link #windows} cuts a part into non-overlapping
 * windows of {@code T} characters, each predicting the next character at every step:
 * window {@code i} has inputs {@code ids[i·T … i·T + T − 1]} and targets
 * {@code ids[i·T + 1 … i·T + T]}, so {@code ⌊(n − 1)/T⌋} windows of a part of n characters.
 *
 * <p>A model already trained reads a text with its own vocabulary ({@link #of(String, Vocabulary)}):
 * characters outside it are then left out of both parts.
 *
 * <p>Named texts ({@link #NAMED}) are read from {@code $DESCENT_DATA/text/NAME.txt}: {@code kjv},
 * the King James Bible, one verse per line (4,137,850 characters; see the data set's README for
 * how to rebuild it from Debian's {@code bible-kjv-text} package). There is no download URL for
 * it: it must be put there by hand.
 */
public final class TextCorpus {
    /** The share of the text, from its start, that trains. */
    public static final double TRAINING_SHARE = 0.9;

    /** The texts known by name, read from {@code $DESCENT_DATA/text/NAME.txt}. */
    public static final java.util.Set<String> NAMED = java.util.Set.of("kjv");

    private final Vocabulary vocabulary;
    private final int[] training;
    private final int[] validation;
    private final int unknown;

    /** The corpus of {@code codePoints} with {@code vocabulary}, or the training part's when null. */
    private TextCorpus(int[] codePoints, Vocabulary vocabulary) {
        int cut = (int) Math.floor(codePoints.length * TRAINING_SHARE);
        int[] train = Arrays.copyOfRange(codePoints, 0, cut), rest = Arrays.copyOfRange(codePoints, cut, codePoints.length);
        if (vocabulary == null) {
            StringBuilder trainText = new StringBuilder();
            Arrays.stream(train).forEach(trainText::appendCodePoint);
            vocabulary = Vocabulary.of(trainText.toString());
        }
        this.vocabulary = vocabulary;
        this.training = Arrays.stream(train).map(this.vocabulary::id).filter(id -> id >= 0).toArray();
        this.validation = Arrays.stream(rest).map(this.vocabulary::id).filter(id -> id >= 0).toArray();
        this.unknown = codePoints.length - training.length - validation.length;
    }

    /** The corpus of {@code text}, its vocabulary built from the training part. */
    public static TextCorpus of(String text) {
        return new TextCorpus(text.codePoints().toArray(), null);
    }

    /** The corpus of {@code text} read with a trained model's {@code vocabulary} (other characters left out). */
    public static TextCorpus of(String text, Vocabulary vocabulary) {
        return new TextCorpus(text.codePoints().toArray(), vocabulary);
    }

    /**
     * The file a data set name stands for: {@code $DESCENT_DATA/text/NAME.txt} for a named text
     * ({@link #NAMED}), else the name itself as a path; a named text that is not there is a
     * {@link DescentException} saying where to put it.
     */
    public static Path locate(String dataset, java.util.Map<String, String> env) {
        if (!NAMED.contains(dataset)) {
            return Path.of(dataset);
        }
        String data = env.get("DESCENT_DATA");
        Path file = data == null || data.isBlank() ? null : Path.of(data, "text", dataset + ".txt");
        if (file == null || !Files.isRegularFile(file)) {
            throw new DescentException(dataset + ".txt not found" + (file == null ? " (DESCENT_DATA is not set)" : " at " + file)
                    + "; there is no download for it: put the text at $DESCENT_DATA/text/" + dataset + ".txt"
                    + " (set DESCENT_DATA to the folder holding text/), or give the path of a .txt file");
        }
        return file;
    }

    /** The text of a UTF-8 file, its first {@code limit} characters when {@code limit > 0} ({@link #read(Path)}'s errors). */
    public static String readText(Path file, int limit) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new DescentException(file + " is not UTF-8 text; convert it to UTF-8 (iconv -t UTF-8) and try again");
        } catch (IOException e) {
            throw new DescentException("cannot read " + file + " (" + e.getMessage() + "); check the path and permissions");
        }
        if (limit > 0 && text.codePointCount(0, text.length()) > limit) {
            text = text.substring(0, text.offsetByCodePoints(0, limit));
        }
        if (text.codePoints().limit(2).count() < 2) {
            throw new DescentException(file + " has fewer than 2 characters; a language model needs a longer text");
        }
        return text;
    }

    /** The corpus of a UTF-8 text file; an unreadable, non-UTF-8 or empty file is a {@link DescentException}. */
    public static TextCorpus read(Path file) {
        return of(readText(file, 0));
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The training part as ids. */
    public int[] trainingIds() {
        return training.clone();
    }

    /** The validation part as ids, characters outside the vocabulary left out. */
    public int[] validationIds() {
        return validation.clone();
    }

    /** How many characters are outside the vocabulary (left out): validation characters the training part lacks. */
    public int unknownCharacters() {
        return unknown;
    }

    /** The training part's windows of {@code steps} characters ({@link #windows}). */
    public Dataset trainingWindows(int steps) {
        return windows(training, steps);
    }

    /** The validation part's windows of {@code steps} characters ({@link #windows}). */
    public Dataset validationWindows(int steps) {
        return windows(validation, steps);
    }

    /**
     * Non-overlapping windows of {@code steps} ids with next-id targets, in order: inputs and
     * targets {@code [N, steps]}, {@code N = ⌊(ids.length − 1)/steps⌋}, ids stored as floats.
     */
    public static Dataset windows(int[] ids, int steps) {
        if (steps < 1) {
            throw new DescentException("the sequence length must be at least 1, got " + steps);
        }
        int n = Math.max(0, (ids.length - 1) / steps);
        if (n == 0) {
            throw new DescentException("a text of " + ids.length + " characters holds no window of " + steps
                    + " characters and its next one; use a shorter sequence length or a longer text");
        }
        float[] inputs = new float[n * steps], targets = new float[n * steps];
        for (int i = 0; i < n * steps; i++) {
            inputs[i] = ids[i];
            targets[i] = ids[i + 1];
        }
        return new Dataset(Tensor.wrap(inputs, n, steps), Tensor.wrap(targets, n, steps));
    }
}
