package dev.otptoken.hardware.memory;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.otptoken.files.FileReason;
import dev.otptoken.hardware.posix.LibC;
import dev.otptoken.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One memory per state file: the holder of a state file keeps an exclusive {@code flock(2)} on
 * {@code NAME.lock} beside it (beside the file a link leads to) for as long as it runs. Two
 * tokens on one file would each keep their own memory and write it over the other's.
 *
 * <p>The lock file is held through a descriptor opened <em>read-only</em>: a file open for
 * writing keeps its file system from being remounted read-only ("mount point is busy"), and a
 * token must keep running when its disk turns read-only (docs/reliability.md). This is why the
 * lock is {@code flock} through {@link LibC} and not {@code FileChannel.lock}, whose
 * {@code fcntl} write lock needs a descriptor opened for writing. The lock goes with the
 * process, however it ends. The lock file stays; it holds the process id of its last holder,
 * written once the lock is taken, for the message of a refused start.
 *
 * <p>Where the lock file cannot be made (its directory is missing, read-only or full) nothing
 * is locked and nothing is said: the state file cannot be written there either, and its own
 * check says so. Nor is anything locked for a state path that is not a regular file (a
 * directory, {@code /dev/null}), which the state file's check refuses. Where the lock cannot be
 * had for another reason (the lock file is a link, a FIFO, another user's; a file system
 * without {@code flock}) the lock holds nothing and says why ({@link #notHeldBecause}).
 */
public final class StateFileLock implements AutoCloseable {
    static final String SUFFIX = ".lock";
    private static final int NO_FD = -1;
    private static final int PID_BYTES = 24;
    /**
     * How long a held lock is tried again before the start is refused. A lock its holder has
     * just let go of can live on for a moment: a child process being started by any thread of
     * the holder's JVM (posix_spawn) has a copy of every descriptor until it executes its
     * program, and flock goes only with the last copy. Seen in a JVM that starts many
     * processes while it stops one token and starts the next on the same file.
     */
    private static final long HELD_WAIT_NANOS = 2_000_000_000L;
    private static final long HELD_RETRY_MILLIS = 10;

    private final Optional<String> notHeldBecause;
    private int fd;

    private StateFileLock(int fd, Optional<String> notHeldBecause) {
        this.fd = fd;
        this.notHeldBecause = notHeldBecause;
    }

    private static StateFileLock quietlyNone() {
        return new StateFileLock(NO_FD, Optional.empty());
    }

    private static StateFileLock none(Path state, String why) {
        Log.debug("state file {}: not locked: {}", state, why);
        return new StateFileLock(NO_FD, Optional.of(why));
    }

    /** Another process holds the lock of a state file. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long holder;

        HeldException(Path file, long holder) {
            super("state file " + file + " is in use by another process" + (holder < 0 ? "" : " (" + holder + ")"));
            this.holder = holder;
        }

        /** The process id its holder wrote in the lock file, when there is one and it runs. */
        public OptionalLong holder() {
            return holder < 0 ? OptionalLong.empty() : OptionalLong.of(holder);
        }
    }

    /** The lock file of {@code state}: {@code NAME.lock} beside the file a link leads to. */
    public static Path lockFileOf(Path state) throws IOException {
        return besides(StateFile.target(state));
    }

    private static Path besides(Path target) {
        return target.resolveSibling(target.getFileName() + SUFFIX);
    }

    /**
     * Takes the lock of {@code state}, or is refused when another open file holds it (in this
     * process too) for two seconds more. Returns a lock that holds nothing where none can be
     * had.
     */
    public static StateFileLock acquire(Path state) throws HeldException {
        Path lockFile;
        try {
            Path target = StateFile.target(state);
            BasicFileAttributes t = attributes(target);
            if (t != null && !t.isRegularFile()) {
                return quietlyNone(); // a directory, a device: refused by the state file's check
            }
            lockFile = besides(target);
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException exists) {
                // the lock file of an earlier holder: taken as it is
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no lock file can be made where the state file is: it cannot be written there either
            Log.debug("state file {}: not locked: {}", state, e.toString());
            return quietlyNone();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return none(state, lockFile + " is not a regular file");
            }
        } catch (IOException e) {
            return none(state, lockFile + ": " + FileReason.of(e));
        }
        int lockFd;
        try {
            // O_NOFOLLOW: a link planted since the check is not followed; O_NONBLOCK: nor does a FIFO hang the open
            lockFd = LibC.open(lockFile.toString(), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK
                    | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        } catch (LinkageError e) {
            return none(state, "no C library through JNA: " + e.getMessage());
        }
        if (lockFd < 0) {
            return none(state, LibC.describe("open " + lockFile, LibC.errno()));
        }
        int rc;
        int errno;
        long deadline = System.nanoTime() + HELD_WAIT_NANOS;
        do {
            rc = LibC.flock(lockFd, LibC.LOCK_EX | LibC.LOCK_NB);
            errno = rc == 0 ? 0 : LibC.errno();
        } while (errno == LibC.EINTR || (errno == LibC.EWOULDBLOCK && System.nanoTime() < deadline && pause()));
        if (rc != 0) {
            long holder = errno == LibC.EWOULDBLOCK ? holder(lockFd) : -1;
            LibC.close(lockFd);
            if (errno == LibC.EWOULDBLOCK) {
                throw new HeldException(state, holder);
            }
            return none(state, LibC.describe("flock " + lockFile, errno));
        }
        try {
            // written and closed at once: no descriptor open for writing is kept
            Files.write(lockFile, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // a read-only directory with an old lock file: a refused start then names no process
            // unless the one written there still runs
            Log.debug("state file {}: lock holder not written: {}", state, e.getMessage());
        }
        return new StateFileLock(lockFd, Optional.empty());
    }

    /** Waits a moment before flock is tried again; false when interrupted (the interrupt kept). */
    private static boolean pause() {
        try {
            Thread.sleep(HELD_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException missing) {
            return null;
        }
    }

    /** Whether this lock holds its file (false where no lock could be had). */
    public boolean held() {
        return fd != NO_FD;
    }

    /**
     * Why no lock is held where one should have been (the lock file is a link or another
     * user's, a file system without {@code flock}); empty when it is held, and where the state
     * file's own check will refuse the path.
     */
    public Optional<String> notHeldBecause() {
        return notHeldBecause;
    }

    /**
     * The process id in the lock file, read through the descriptor already open (a file swapped
     * for a FIFO since cannot hold the read), when that process still runs; else -1.
     */
    private static long holder(int lockFd) {
        Memory buffer = new Memory(PID_BYTES);
        long n = LibC.read(lockFd, buffer, new NativeLong(PID_BYTES)).longValue();
        if (n <= 0) {
            return -1;
        }
        String text = new String(buffer.getByteArray(0, (int) n), StandardCharsets.US_ASCII).strip();
        if (!text.matches("[0-9]{1,18}")) {
            return -1;
        }
        long pid = Long.parseLong(text);
        return ProcessHandle.of(pid).isPresent() ? pid : -1;
    }

    @Override
    public synchronized void close() {
        if (fd != NO_FD) {
            LibC.close(fd);
            fd = NO_FD;
        }
    }
}
