package dev.otptoken.hardware.memory;

import dev.otptoken.hardware.posix.LibC;
import dev.otptoken.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * <p>Where no lock can be had (the directory is missing or read-only and the lock file is not
 * there yet, a file system without {@code flock}) the state file is not locked and nothing is
 * refused: the state file's own checks say what is wrong with its directory.
 */
public final class StateFileLock implements AutoCloseable {
    static final String SUFFIX = ".lock";
    private static final int NO_FD = -1;
    private static final int PID_BYTES = 24;

    private int fd;

    private StateFileLock(int fd) {
        this.fd = fd;
    }

    /** Another process holds the lock of a state file. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long holder;

        HeldException(Path file, long holder) {
            super("state file " + file + " is in use by another process" + (holder < 0 ? "" : " (" + holder + ")"));
            this.holder = holder;
        }

        /** The process id its holder wrote in the lock file, when there is one. */
        public OptionalLong holder() {
            return holder < 0 ? OptionalLong.empty() : OptionalLong.of(holder);
        }
    }

    /** The lock file of {@code state}: {@code NAME.lock} beside the file a link leads to. */
    public static Path lockFileOf(Path state) throws IOException {
        Path target = StateFile.target(state);
        return target.resolveSibling(target.getFileName() + SUFFIX);
    }

    /**
     * Takes the lock of {@code state}, or is refused at once when another open file holds it
     * (in this process too). Returns a lock that holds nothing where none can be had.
     */
    public static StateFileLock acquire(Path state) throws HeldException {
        Path lockFile;
        try {
            lockFile = lockFileOf(state);
            try {
                Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException exists) {
                // the lock file of an earlier holder: taken as it is
            }
        } catch (IOException | UnsupportedOperationException e) {
            Log.debug("state file {}: not locked: {}", state, e.getMessage());
            return new StateFileLock(NO_FD);
        }
        int lockFd;
        try {
            // O_NONBLOCK: a FIFO planted under the name must not hang the open
            lockFd = LibC.open(lockFile.toString(), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK
                    | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        } catch (LinkageError e) {
            Log.debug("state file {}: not locked: {}", state, e.toString());
            return new StateFileLock(NO_FD);
        }
        if (lockFd < 0) {
            Log.debug("state file {}: not locked: {}", state, LibC.describe("open " + lockFile, LibC.errno()));
            return new StateFileLock(NO_FD);
        }
        int rc;
        do {
            rc = LibC.flock(lockFd, LibC.LOCK_EX | LibC.LOCK_NB);
        } while (rc != 0 && LibC.errno() == LibC.EINTR);
        if (rc != 0) {
            int errno = LibC.errno();
            LibC.close(lockFd);
            if (errno == LibC.EWOULDBLOCK) {
                throw new HeldException(state, holder(lockFile));
            }
            Log.debug("state file {}: not locked: {}", state, LibC.describe("flock " + lockFile, errno));
            return new StateFileLock(NO_FD);
        }
        try {
            // written and closed at once: no descriptor open for writing is kept
            Files.write(lockFile, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            Log.debug("state file {}: lock holder not written: {}", state, e.getMessage());
        }
        return new StateFileLock(lockFd);
    }

    /** Whether this lock holds its file (false where no lock could be had). */
    public boolean held() {
        return fd != NO_FD;
    }

    private static long holder(Path lockFile) {
        try (var in = Files.newInputStream(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            String text = new String(in.readNBytes(PID_BYTES), StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        if (fd != NO_FD) {
            LibC.close(fd);
            fd = NO_FD;
        }
    }
}
