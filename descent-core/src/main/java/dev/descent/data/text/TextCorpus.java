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
 * {@link #unknownValidationCharacters()}). {@link #windows} cuts a part into non-overlapping
 * windows of {@code T} characters, each predicting the next character at every step:
 * window {@code i} has inputs {@code ids[i·T … i·T + T − 1]} and targets
 * {@code ids[i·T + 1 … i·T + T]}, so {@code ⌊(n − 1)/T⌋} windows of a part of n characters.
 */
public final class TextCorpus {
    /** The share of the text, from its start, that trains. */
    public static final double TRAINING_SHARE = 0.9;

    private final Vocabulary vocabulary;
    private final int[] training;
    private final int[] validation;
    private final int unknown;

    private TextCorpus(int[] codePoints) {
        int cut = (int) Math.floor(codePoints.length * TRAINING_SHARE);
        int[] train = Arrays.copyOfRange(codePoints, 0, cut), rest = Arrays.copyOfRange(codePoints, cut, codePoints.length);
        StringBuilder trainText = new StringBuilder();
        Arrays.stream(train).forEach(trainText::appendCodePoint);
        this.vocabulary = Vocabulary.of(trainText.toString());
        this.training = Arrays.stream(train).map(vocabulary::id).toArray();
        this.validation = Arrays.stream(rest).map(vocabulary::id).filter(id -> id >= 0).toArray();
        this.unknown = rest.length - validation.length;
    }

    /** The corpus of {@code text}. */
    public static TextCorpus of(String text) {
        return new TextCorpus(text.codePoints().toArray());
    }

    /** The corpus of a UTF-8 text file; an unreadable, non-UTF-8 or empty file is a {@link DescentException}. */
    public static TextCorpus read(Path file) {
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
        if (text.codePoints().limit(2).count() < 2) {
            throw new DescentException(file + " has fewer than 2 characters; a language model needs a longer text");
        }
        return of(text);
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

    /** How many validation characters the training part does not have (left out). */
    public int unknownValidationCharacters() {
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
