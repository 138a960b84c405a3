package dev.descent.io;

import dev.descent.DescentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void directoryIsSwappedInWhole() throws IOException {
        Path dir = root.resolve("ckpt");
        AtomicFiles.writeDirectory(dir, d -> Files.writeString(d.resolve("one"), "1"));
        AtomicFiles.writeDirectory(dir, d -> Files.writeString(d.resolve("two"), "2"));
        assertEquals(List.of("two"), entries(dir));
        assertEquals(List.of("ckpt"), entries(root));
    }

    @Test
    void failingDirectoryWriterLeavesOldDirectoryAndNoTemporaries() throws IOException {
        Path dir = root.resolve("ckpt");
        AtomicFiles.writeDirectory(dir, d -> Files.writeString(d.resolve("model"), "old"));
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeDirectory(dir, d -> {
            Files.writeString(d.resolve("model"), "new");
            Files.createDirectory(d.resolve("sub"));
            Files.writeString(d.resolve("sub").resolve("x"), "x");
            throw new IllegalStateException("disk full");
        }));
        assertEquals(List.of("model"), entries(dir));
        assertEquals("old", Files.readString(dir.resolve("model")));
        assertEquals(List.of("ckpt"), entries(root));
    }

    @Test
    void ioFailureBecomesDescentExceptionNamingThePath() throws IOException {
        Path dir = root.resolve("fresh");
        DescentException e = assertThrows(DescentException.class,
                () -> AtomicFiles.writeDirectory(dir, d -> Files.readString(d.resolve("absent"))));
        assertTrue(e.getMessage().startsWith("cannot write " + dir.toAbsolutePath()), e.getMessage());
        assertEquals(List.of(), entries(root));
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
