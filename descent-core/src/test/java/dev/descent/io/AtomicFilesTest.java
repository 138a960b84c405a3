package dev.descent.io;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path root;

    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fileIsReplacedWholeAndFailedWritesLeaveItIntact() throws IOException {
        Path file = root.resolve("a.txt");
        AtomicFiles.writeString(file, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write("new, half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("a.txt"), entries(root));
        AtomicFiles.writeString(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals(List.of("a.txt"), entries(root));
    }

    private static AtomicFiles.StreamWriter text(String content) {
        return out -> out.write(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesAreReplacedTogetherAndOtherFilesStay() throws IOException {
        Path dir = root.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        AtomicFiles.writeFiles(dir, Map.of("model", text("1"), "config", text("1"), "latest", text("1")), Set.of());
        AtomicFiles.writeFiles(dir, Map.of("model", text("2"), "config", text("2")), Set.of("latest"));
        assertEquals(List.of("config", "model", "notes.txt"), entries(dir));
        assertEquals("2", Files.readString(dir.resolve("model")));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void failingWriterLeavesTheOldFilesAndNoStaging() throws IOException {
        Path dir = root.resolve("run");
        AtomicFiles.writeFiles(dir, Map.of("model", text("old")), Set.of());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeFiles(dir, Map.of("model", out -> {
            out.write("new, half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("disk full");
        }), Set.of()));
        assertEquals(List.of("model"), entries(dir));
        assertEquals("old", Files.readString(dir.resolve("model")));
    }

    /** A commit killed after its journal and its first move: readers already see every new file; recovery finishes it. */
    @Test
    void aCommitKilledHalfwayReadsNewAndIsFinished() throws IOException {
        Path dir = root.resolve("run");
        AtomicFiles.writeFiles(dir, Map.of("model", text("old"), "config", text("old"), "latest", text("old")), Set.of());
        Path staging = dir.resolve(AtomicFiles.STAGING_PREFIX + "killed");
        Files.createDirectory(staging);
        Files.writeString(staging.resolve("config"), "new");
        Files.writeString(dir.resolve("model"), "new"); // already moved before the kill
        Files.writeString(dir.resolve(AtomicFiles.JOURNAL), staging.getFileName() + "\ndelete latest\n");
        assertEquals("new", Files.readString(AtomicFiles.current(dir, "model")));
        assertEquals("new", Files.readString(AtomicFiles.current(dir, "config")));
        assertFalse(Files.exists(AtomicFiles.current(dir, "latest")));
        AtomicFiles.recover(dir);
        assertEquals(List.of("config", "model"), entries(dir));
        assertEquals("new", Files.readString(dir.resolve("config")));
    }

    /** A commit killed before its journal: the old files stand, and the staging folder is cleaned up. */
    @Test
    void aCommitKilledBeforeItsJournalKeepsTheOldFiles() throws IOException {
        Path dir = root.resolve("run");
        AtomicFiles.writeFiles(dir, Map.of("model", text("old")), Set.of());
        Path staging = dir.resolve(AtomicFiles.STAGING_PREFIX + "killed");
        Files.createDirectory(staging);
        Files.writeString(staging.resolve("model"), "new, half");
        assertEquals("old", Files.readString(AtomicFiles.current(dir, "model")));
        AtomicFiles.writeFiles(dir, Map.of("model", text("next")), Set.of());
        assertEquals(List.of("model"), entries(dir));
        assertEquals("next", Files.readString(dir.resolve("model")));
    }

    @Test
    void ioFailureBecomesDescentExceptionNamingThePath() throws IOException {
        Path file = root.resolve("file");
        Files.writeString(file, "not a folder");
        DescentException e = assertThrows(DescentException.class,
                () -> AtomicFiles.writeFiles(file, Map.of("model", text("x")), Set.of()));
        assertTrue(e.getMessage().startsWith("cannot write " + file.toAbsolutePath()), e.getMessage());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void appendLineAddsJsonLines() throws IOException {
        Path file = root.resolve("history.jsonl");
        AtomicFiles.appendLine(file, "{\"epoch\":1}");
        AtomicFiles.appendLine(file, "{\"epoch\":2}");
        assertEquals("{\"epoch\":1}\n{\"epoch\":2}\n", Files.readString(file));
        assertThrows(IllegalArgumentException.class, () -> AtomicFiles.appendLine(file, "a\nb"));
    }
}
