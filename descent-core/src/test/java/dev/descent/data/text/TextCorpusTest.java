package dev.descent.data.text;

import dev.descent.DescentException;
import dev.descent.data.Dataset;
import dev.descent.data.TestData;
import dev.descent.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextCorpusTest {

    @Test
    void vocabularyIsTheSortedCharactersAndRoundTripsThroughJson() {
        Vocabulary v = Vocabulary.of("hello, wörld 🙂");
        assertEquals(11, v.size());
        assertEquals(" ,dehlorw\u00f6\ud83d\ude42", v.decode(java.util.stream.IntStream.range(0, v.size()).toArray()));
        assertArrayEquals(new int[] {4, 3, 5, 5, 6}, v.encode("hello"));
        assertEquals("wörld 🙂", v.decode(v.encode("wörld 🙂")));
        Vocabulary back = Vocabulary.fromConfig(Json.parseObject(Json.write(v.toConfig())));
        assertEquals(v, back);
        DescentException unknown = assertThrows(DescentException.class, () -> v.encode("hex"));
        assertEquals("the character 'x' is not in the model's vocabulary of 11 characters; use characters"
                + " of its training text", unknown.getMessage());
        assertThrows(DescentException.class, () -> Vocabulary.fromConfig(java.util.Map.of("characters", "ba")));
        assertThrows(DescentException.class, () -> Vocabulary.fromConfig(java.util.Map.of()));
    }

    @Test
    void splitsContiguouslyAndCutsNonOverlappingWindowsWithNextCharacterTargets() {
        // 20 characters: the first 18 train, the last 2 validate ("z" is not in training and is left out)
        TextCorpus corpus = TextCorpus.of("abcdefghijabcdefghiz");
        assertEquals(Vocabulary.of("abcdefghij"), corpus.vocabulary());
        assertArrayEquals(new int[] {8}, corpus.validationIds());
        assertEquals(1, corpus.unknownCharacters());
        Dataset windows = corpus.trainingWindows(4); // 18 ids: ⌊17/4⌋ = 4 windows
        assertArrayEquals(new int[] {4, 4}, windows.inputs().dims());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, windows.inputs().toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6}, windows.targets().toIntArray());
        assertArrayEquals(windows.inputs().toIntArray(), corpus.trainingWindows(4).inputs().toIntArray(), "deterministic");
        assertEquals(1, TextCorpus.windows(new int[] {0, 1, 2, 3, 4}, 4).size());
        assertThrows(DescentException.class, () -> TextCorpus.windows(new int[] {0, 1, 2, 3}, 4));
        assertThrows(DescentException.class, () -> corpus.trainingWindows(0));
    }

    @Test
    void readsUtf8FilesAndRejectsOthersInOneLine(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "ab\nab\nab\nab\n");
        assertEquals(3, TextCorpus.read(text).vocabulary().size());
        Path latin1 = Files.write(dir.resolve("l.txt"), new byte[] {'a', (byte) 0xE9, 'b'});
        assertEquals(latin1 + " is not UTF-8 text; convert it to UTF-8 (iconv -t UTF-8) and try again",
                assertThrows(DescentException.class, () -> TextCorpus.read(latin1)).getMessage());
        assertThrows(DescentException.class, () -> TextCorpus.read(dir.resolve("missing.txt")));
        assertThrows(DescentException.class, () -> TextCorpus.read(Files.writeString(dir.resolve("e.txt"), "a")));
    }

    @Test
    void theKingJamesBibleSplitsAsItsReadmeSays() {
        TextCorpus kjv = TextCorpus.read(TestData.text().resolve("kjv.txt"));
        assertEquals(3_724_065, kjv.trainingIds().length);
        assertEquals(413_785, kjv.validationIds().length);
        assertEquals(63, kjv.vocabulary().size());
        assertEquals(0, kjv.unknownCharacters());
        assertEquals(3_724_064 / 100, kjv.trainingWindows(100).size());
    }

    @Test
    void aNamedTextIsReadFromDescentDataOrNamesWhereToPutIt(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path kjv = Files.createDirectories(dir.resolve("text")).resolve("kjv.txt");
        assertEquals(Path.of("my.txt"), TextCorpus.locate("my.txt", java.util.Map.of()));
        DescentException missing = assertThrows(DescentException.class,
                () -> TextCorpus.locate("kjv", java.util.Map.of("DESCENT_DATA", dir.toString())));
        assertEquals("kjv.txt not found at " + kjv + "; there is no download for it: put the text at"
                + " $DESCENT_DATA/text/kjv.txt (set DESCENT_DATA to the folder holding text/), or give the path of a .txt file",
                missing.getMessage());
        assertTrue(assertThrows(DescentException.class, () -> TextCorpus.locate("kjv", java.util.Map.of())).getMessage()
                .startsWith("kjv.txt not found (DESCENT_DATA is not set)"));
        Files.writeString(kjv, "In the beginning");
        assertEquals(kjv, TextCorpus.locate("kjv", java.util.Map.of("DESCENT_DATA", dir.toString())));
        assertEquals("In the", TextCorpus.readText(kjv, 6));
    }

    @Test
    void aTrainedVocabularyReadsAnotherTextLeavingOutWhatItLacks() {
        TextCorpus corpus = TextCorpus.of("abcabcabcabcabcabcxyz!", Vocabulary.of("abc!"));
        assertEquals(Vocabulary.of("abc!"), corpus.vocabulary());
        assertEquals(3, corpus.unknownCharacters());
        assertEquals(18, corpus.trainingIds().length, "the training part without its x");
        assertArrayEquals(new int[] {0}, corpus.validationIds(), "the validation part without y and z");
    }
}
