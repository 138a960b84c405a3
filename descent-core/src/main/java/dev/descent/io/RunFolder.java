package dev.descent.io;

import dev.descent.DescentException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder a training run writes, opened under Descent's rule: <em>Descent replaces only what
 * Descent wrote</em>. Before any work starts, {@link #open} accepts a path that does not exist
 * (it is created), an empty folder, or a folder holding a Descent checkpoint when the run may
 * continue or replace it ({@link Mode}); it refuses a file, a device, and a folder with files
 * Descent did not write, with one line naming the path and the way out. It then takes a lock
 * ({@value #LOCK_FILE}, an operating-system file lock holding the owner's process id) so two runs
 * never write one folder; the lock goes with the process, even when it is killed.
 * {@link #close()} releases it (the file stays), and removes the folder again when this run
 * created it and left nothing in it.
 */
public final class RunFolder implements AutoCloseable {
    /** The lock file inside a run folder. */
    public static final String LOCK_FILE = ".descent-lock";

    /** What may already be in the folder. */
    public enum Mode {
        /** A new run: the folder must not hold a checkpoint. */
        NEW,
        /** A new run that replaces the checkpoint files of an earlier one (other files stay). */
        OVERWRITE,
        /** Continues the checkpoint in the folder, which must exist. */
        RESUME
    }

    private final Path dir;
    private final boolean created;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunFolder(Path dir, boolean created, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.created = created;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Checks {@code dir} for a run of the given mode, creates it when absent, and locks it.
     *
     * @param option the command-line option that named the folder, for messages ({@code --out})
     * @throws DescentException when the path is not a folder Descent may write, or is locked
     */
    public static RunFolder open(Path dir, Mode mode, String option) {
        String name = dir.toString().isEmpty() ? "." : dir.toString();
        Path absolute = dir.toAbsolutePath().normalize();
        boolean exists = Files.exists(absolute);
        if (exists && !Files.isDirectory(absolute)) {
            throw new DescentException(option + " " + name + " is a file, not a folder; Descent will not replace it;"
                    + " give the path of a new folder");
        }
        boolean checkpoint = exists && Checkpoint.isCheckpoint(absolute);
        if (mode == Mode.RESUME && !checkpoint) {
            throw new DescentException("no Descent checkpoint in " + name + " to resume; give the folder of an earlier run"
                    + " (it holds config.json and model.safetensors)");
        }
        if (exists && !checkpoint) {
            List<String> foreign = foreignFiles(absolute);
            if (!foreign.isEmpty()) {
                throw new DescentException(option + " " + name + " holds files Descent did not write (" + foreign.get(0)
                        + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more" : "") + "); Descent writes only"
                        + " into a new or empty folder or one of its own runs, and never replaces other files"
                        + (mode == Mode.OVERWRITE ? ", not even with --overwrite" : "") + "; choose another " + option);
            }
        }
        if (checkpoint && mode == Mode.NEW) {
            throw new DescentException(name + " already holds a Descent run; continue it with --resume " + name
                    + ", replace it with --overwrite, or choose another " + option);
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new DescentException("cannot create the folder " + name + " (" + e.getMessage() + "); choose another "
                    + option + " where you may write");
        }
        return lock(absolute, name, !exists, option);
    }

    private static RunFolder lock(Path dir, String name, boolean created, String option) {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DescentException("cannot write into " + name + " (" + e.getMessage() + "); choose another "
                    + option + " where you may write");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DescentException("cannot lock " + file + " (" + e.getMessage() + "); choose another " + option);
        }
        if (lock == null) {
            String holder = holder(file);
            closeQuietly(channel);
            throw new DescentException(name + " is in use by another Descent run" + holder
                    + "; wait for it to finish, or choose another " + option);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DescentException("cannot write into " + name + " (" + e.getMessage() + "); choose another " + option);
        }
        return new RunFolder(dir, created, channel, lock);
    }

    /** " (pid 1234)" from the lock file, or "" when unreadable. */
    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The entries of {@code dir} that Descent did not write (its lock, staging and journal files are its own). */
    private static List<String> foreignFiles(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(LOCK_FILE) && !n.equals(AtomicFiles.JOURNAL) && !n.startsWith(AtomicFiles.STAGING_PREFIX))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DescentException("cannot list " + dir + " (" + e.getMessage() + "); check its permissions");
        }
    }

    /** The folder. */
    public Path path() {
        return dir;
    }

    /** Releases the lock; removes the folder when this run created it and wrote nothing into it. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        }
        closeQuietly(lockChannel);
        try { // the lock file stays (deleting it could let two later runs lock two different files)
            if (created && foreignFiles(dir).isEmpty() && !Checkpoint.isCheckpoint(dir)) {
                AtomicFiles.deleteTree(dir);
            }
        } catch (DescentException ignored) {
            // a leftover empty folder is harmless
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
