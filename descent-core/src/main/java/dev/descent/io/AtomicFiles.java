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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   <li>Several files of one folder {@code D} that belong together (a checkpoint's weights,
 *       optimizer state and config) are replaced as one, by a redo journal: the new files are
 *       written and forced into the staging folder {@code D/.descent-staging-<random>}; then the
 *       journal {@code D/.descent-commit} naming that folder is written (atomically, as a file);
 *       then each staged file is renamed over its final name; then the journal and the staging
 *       folder are removed. A reader asks {@link #current} for each file: while a journal exists,
 *       a file still staged is read from the staging folder, so a reader sees all the old
 *       files (no journal yet) or all the new ones (journal written), never a mix, at every
 *       instant and after a kill at any point. {@link #recover} finishes an interrupted commit
 *       (or deletes staging folders no journal names). Other files in {@code D} are never touched.
 * </ul>
 * If the writer throws, the temporary file or staging folder is deleted and the old content is
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

    /** The journal file of an unfinished {@link #writeFiles} commit. */
    public static final String JOURNAL = ".descent-commit";
    /** The name prefix of staging folders. */
    public static final String STAGING_PREFIX = ".descent-staging-";

    /**
     * Replaces the files {@code files} (name → writer) of folder {@code dir} (created when
     * absent) and deletes the files {@code deleted}, all together, by the redo journal of the
     * class comment; other files of {@code dir} stay as they are. An unfinished earlier commit is
     * finished first.
     */
    public static void writeFiles(Path dir, Map<String, StreamWriter> files, Set<String> deleted) {
        Path target = dir.toAbsolutePath();
        Path staging = target.resolve(STAGING_PREFIX + randomSuffix());
        try {
            Files.createDirectories(target);
            recover(target);
            Files.createDirectory(staging);
            for (Map.Entry<String, StreamWriter> file : files.entrySet()) {
                try (FileChannel channel = FileChannel.open(staging.resolve(file.getKey()), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    OutputStream out = Channels.newOutputStream(channel);
                    file.getValue().write(out);
                    out.flush();
                    forceQuietly(channel);
                }
            }
            StringBuilder journal = new StringBuilder(staging.getFileName().toString()).append('\n');
            deleted.forEach(name -> journal.append(DELETE).append(name).append('\n'));
            writeString(target.resolve(JOURNAL), journal.toString());
            finishCommit(target, new Journal(staging, deleted));
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            if (!Files.exists(target.resolve(JOURNAL))) {
                deleteTree(staging);
            }
        }
    }

    /**
     * Where to read the file {@code name} of folder {@code dir} now: from the staging folder of
     * an unfinished commit when it is still there, else {@code dir/name}.
     */
    public static Path current(Path dir, String name) {
        Journal journal = journal(dir);
        if (journal != null && (journal.deleted().contains(name) || Files.exists(journal.staging().resolve(name)))) {
            return journal.staging().resolve(name); // staged, or absent when the commit deletes it
        }
        return dir.resolve(name);
    }

    /**
     * Finishes a commit of {@code dir} that was interrupted after its journal was written, and
     * deletes staging folders that no journal names (a commit interrupted before its journal:
     * the old files are still in place). Needs write access; without it nothing changes and
     * {@link #current} still reads the right files.
     */
    public static void recover(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return;
        }
        try {
            Journal journal = journal(dir);
            if (journal != null) {
                finishCommit(dir, journal);
            }
            try (Stream<Path> children = Files.list(dir)) {
                for (Path p : (Iterable<Path>) children::iterator) {
                    if (p.getFileName().toString().startsWith(STAGING_PREFIX) && Files.isDirectory(p)) {
                        deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw failure(dir, e);
        }
    }

    /** A journal line that deletes a file: {@code delete NAME}. */
    private static final String DELETE = "delete ";

    /** An unfinished commit: its staging folder and the files it deletes. */
    private record Journal(Path staging, Set<String> deleted) {
    }

    /** The journal of {@code dir}, or null without a (valid) one. */
    private static Journal journal(Path dir) {
        Path file = dir.resolve(JOURNAL);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String name = lines.isEmpty() ? "" : lines.get(0).strip();
            if (!name.startsWith(STAGING_PREFIX) || name.indexOf('/') >= 0) {
                return null;
            }
            Set<String> deleted = new LinkedHashSet<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith(DELETE) && line.indexOf('/') < 0) {
                    deleted.add(line.substring(DELETE.length()));
                }
            }
            return new Journal(dir.resolve(name), deleted);
        } catch (IOException e) {
            return null;
        }
    }

    /** Moves every staged file over its final name, deletes the journal's deleted files, then removes the journal and the staging folder. */
    private static void finishCommit(Path dir, Journal journal) throws IOException {
        if (Files.isDirectory(journal.staging())) {
            try (Stream<Path> staged = Files.list(journal.staging())) {
                for (Path file : (Iterable<Path>) staged::iterator) {
                    move(file, dir.resolve(file.getFileName().toString()));
                }
            }
        }
        for (String name : journal.deleted()) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir.resolve(JOURNAL));
        deleteTree(journal.staging());
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
