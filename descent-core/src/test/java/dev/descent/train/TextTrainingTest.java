package dev.descent.train;

import dev.descent.DescentException;
import dev.descent.data.text.Vocabulary;
import dev.descent.io.Checkpoint;
import dev.descent.io.RunFolder;
import dev.descent.loss.Loss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A character model trained through {@link TrainingRun} on a small repetitive text: it must
 * learn (validation bits per character far below the unigram entropy), its checkpoint keeps the
 * vocabulary, it evaluates and generates after loading, and it resumes.
 */
class TextTrainingTest {
    /** Two sentences over and over: about 3.4 bits per character of unigram entropy, nearly none given the context. */
    static final String TEXT = "the cat sat on the mat. the dog sat on the log.\n".repeat(40);

    @TempDir
    static Path dir;
    private static Path file;
    private static TrainingRun.Result trained;
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void train() throws IOException {
        file = Files.writeString(dir.resolve("cats.txt"), TEXT);
        TrainingSettings settings = TrainingSettings.defaults().with(Setting.DATASET, file.toString())
                .with(Setting.SEQ_LEN, 20).batchSize(8).with(Setting.MAX_STEPS, 100L).seed(3);
        trained = TrainingRun.run(settings, new TrainingRun.Output(dir.resolve("run"), RunFolder.Mode.NEW, "test", "test"),
                LOG::add);
    }

    /** The unigram entropy {@code −Σ p_c log2 p_c} of the characters of {@code text}. */
    private static double unigramBits(String text) {
        Map<Integer, Long> counts = text.codePoints().boxed()
                .collect(java.util.stream.Collectors.groupingBy(c -> c, java.util.stream.Collectors.counting()));
        double bits = 0;
        for (long n : counts.values()) {
            double p = (double) n / text.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    @Test
    void aCharacterModelLearnsWellBelowTheUnigramEntropy() {
        Map<String, Object> summary = trained.summary();
        double bpc = ((Number) summary.get("val_bpc")).doubleValue();
        double entropy = unigramBits(TEXT);
        assertTrue(entropy > 3.0, "unigram entropy " + entropy);
        assertTrue(bpc < 0.3 * entropy, "validation " + bpc + " bits per character against " + entropy + " of the unigram");
        assertEquals(Loss.bitsPerCharacter(((Number) summary.get("val_loss")).doubleValue()), bpc, 1e-12);
        assertEquals(((Number) summary.get("baseline_loss")).doubleValue() / Math.log(2),
                ((Number) summary.get("baseline_bpc")).doubleValue(), 1e-12);
        assertTrue(LOG.stream().anyMatch(l -> l.startsWith("validation ") && l.contains("bits per character")), LOG.toString());
        String last = trained.history().get(trained.history().size() - 1);
        assertTrue(last.contains("\"val_bpc\"") && last.contains("\"step\":100"), last);
    }

    @Test
    void theCheckpointKeepsTheVocabularyAndTheModelEvaluatesAndGeneratesAfterLoading() {
        Model model = Model.load(dir.resolve("run"));
        assertEquals(Vocabulary.of(TEXT), model.vocabulary());
        assertEquals(((Number) trained.summary().get("val_loss")).doubleValue(), model.evaluateText(TEXT).loss(), 1e-6);
        String a = model.generate("the ", 60, 1.0, 5);
        assertEquals(a, Model.load(dir.resolve("run")).generate("the ", 60, 1.0, 5));
        assertNotEquals(a, model.generate("the ", 60, 1.0, 6));
        assertEquals(60, a.length());
        String greedy = model.generate("the cat sat on the ", 4, 0, 1);
        assertEquals("mat.", greedy, "the most likely continuation of a sentence seen 40 times");
    }

    @Test
    void aTextRunResumesAndOnlyTextModelsGenerate() throws IOException {
        Checkpoint saved = Checkpoint.load(dir.resolve("run"));
        assertTrue(saved.config().get("vocabulary") instanceof Map<?, ?>);
        Path copy = dir.resolve("resumed");
        TrainingSettings first = TrainingSettings.defaults().with(Setting.DATASET, file.toString())
                .with(Setting.SEQ_LEN, 20).batchSize(8).with(Setting.MAX_STEPS, 5L);
        TrainingRun.run(first, new TrainingRun.Output(copy, RunFolder.Mode.NEW, "test", "test"), l -> { });
        TrainingRun.Result resumed = TrainingRun.run(TrainingSettings.defaults().with(Setting.MAX_STEPS, 12L),
                new TrainingRun.Output(copy, RunFolder.Mode.RESUME, "test", "test"), l -> { });
        assertEquals(12L, ((Number) Training.section(Checkpoint.load(copy).config(), "training").get("step")).longValue());
        assertTrue(resumed.summary().containsKey("val_bpc"));

        Model images = Model.classifier("dense(2)");
        images.fit(new dev.descent.data.Dataset(dev.descent.tensor.Tensor.wrap(new float[] {0, 1, 0, 1}, 4, 1),
                dev.descent.tensor.Tensor.wrap(new float[] {0, 1, 0, 1}, 4)), TrainingSettings.defaults().epochs(1).validation(0));
        assertEquals("this model was not trained on text, so it cannot generate text; train a character model with"
                + " `descent train FILE.txt`", assertThrows(DescentException.class, () -> images.generate("a", 5, 1, 1)).getMessage());
    }
}
