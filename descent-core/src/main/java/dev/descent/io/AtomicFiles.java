package dev.descent.io;

import dev.descent.DescentException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes files and whole directories so that a reader sees either the old content or the new,
 * never a half-written mix, even when the writer fails or the process dies.
 *
 * <ul>
 *   <li>A file {@code F} is written to a temporary file {@code .F.tmp-<random>} in the same
 *       folder, forced to disk (best effort), then renamed over {@code F}
 *       ({@code ATOMIC_MOVE} + {@code REPLACE_EXISTING}).
 *   <li>A directory {@code D} is built in the sibling {@code D.tmp-<random>}, its files forced to
 *       disk, then swapped in: an existing {@code D} is renamed to {@code D.old-<random>}, the
 *       new one renamed to {@code D}, and the old one deleted. Between the two renames
 *       {@code D} is briefly absent; if the process dies there, the previous version is left
 *       as {@code D.old-<random>}.
 * </ul>
 * If the writer throws, the temporary file or folder is deleted and {@code F}/{@code D} is
 * left untouched. I/O failures surface as {@link DescentException}s naming the path.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of one file to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Fills a fresh, empty directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path dir) throws IOException;
    }

    /** Atomically replaces {@code file} with what {@code writer} writes. */
    public static void write(Path file, StreamWriter writer) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + randomSuffix());
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                writer.write(out);
                out.flush();
                forceQuietly(channel);
            }
            move(tmp, target);
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Atomically replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Atomically replaces the directory {@code dir} (created when absent) with what {@code writer} puts in a fresh one. */
    public static void writeDirectory(Path dir, DirectoryWriter writer) {
        Path target = dir.toAbsolutePath();
        String name = target.getFileName().toString();
        Path tmp = target.resolveSibling(name + ".tmp-" + randomSuffix());
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectory(tmp);
            writer.write(tmp);
            forceTree(tmp);
            if (Files.exists(target)) {
                Path old = target.resolveSibling(name + ".old-" + randomSuffix());
                move(target, old);
                try {
                    move(tmp, target);
                } catch (IOException e) {
                    move(old, target);
                    throw e;
                }
                deleteTree(old);
            } else {
                move(tmp, target);
            }
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Appends {@code line} and a newline to {@code file} (created when absent) and flushes it:
     * one record of a JSON Lines history. The line must not contain a newline.
     */
    public static void appendLine(Path file, String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a JSON Lines record must be one line: " + line);
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    forceQuietly(channel);
                }
            }
        }
    }

    /** Forces to disk; some file systems refuse, which only weakens durability, never atomicity. */
    private static void forceQuietly(FileChannel channel) {
        try {
            channel.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }

    /** Deletes a folder and everything below it, if it exists; best effort. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }

    private static String randomSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
    }

    private static DescentException failure(Path path, IOException e) {
        return new DescentException("cannot write " + path + " (" + e + "); check that the folder is writable and the disk has space", e);
    }
}
