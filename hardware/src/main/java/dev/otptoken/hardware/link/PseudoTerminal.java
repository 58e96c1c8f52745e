package dev.otptoken.hardware.link;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.otptoken.files.FileReason;
import dev.otptoken.hardware.posix.LibC;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.t1.ByteLink;
import dev.otptoken.protocol.t1.LinkStalledException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The token's side of a pseudo-terminal: the way a USB CDC-ACM token shows up as
 * {@code /dev/ttyACM0}, this one shows up as {@code /dev/pts/N} (and optionally a symlink)
 * for the host to open.
 *
 * <p>Why it holds a slave descriptor for its whole life: when no process has the slave
 * open, the kernel hangs the master up and {@code read(2)} on it fails with EIO at once,
 * every time, so a naive reader spins. Holding one slave descriptor (that is never read)
 * keeps the line up between hosts; the token's output then waits in the slave's input
 * queue until the next host opens the port and purges it. Should EIO or POLLHUP still be
 * seen on the master (no host, no slave), it means "nothing to read": {@link #read} waits
 * out its timeout in short sleeps instead of spinning.
 *
 * <p>The slave is put in raw mode before anyone else can open it: otherwise the line
 * discipline echoes the token's output back to it and translates CR/LF and XON/XOFF.
 *
 * <p>Thread safety: one thread may read while another writes; {@link #close()} is
 * idempotent, may be called from any thread (e.g. a shutdown hook) and wakes a blocked
 * {@link #read} through a self-pipe, so it never waits a full read timeout.
 */
public final class PseudoTerminal implements ByteLink {
    /** How long {@link #write} waits for the host to make room before giving up. */
    public static final long DEFAULT_WRITE_STALL_MILLIS = 5_000;

    private static final int PTS_NAME_CAPACITY = 128;
    private static final int IO_BUFFER_BYTES = 4096;
    /** While the master reports a hang-up, how often to look again for a host. */
    private static final int HANGUP_RECHECK_MILLIS = 20;
    /** Upper bound on read calls in {@link #discardInput()}: 256 × 4 KiB = 1 MiB. */
    private static final int MAX_DISCARD_READS = 256;
    private static final byte WAKE_BYTE = 1;

    private final int master;
    private final int slave;
    private final int wakeRead;
    private final int wakeWrite;
    private final Path slavePath;
    private final Optional<Path> link;
    private final long writeStallNanos;

    private final Memory readBuffer = new Memory(IO_BUFFER_BYTES);
    private final Memory writeBuffer = new Memory(IO_BUFFER_BYTES);
    private final Memory readPoll = new Memory(2L * LibC.POLLFD_SIZE);
    private final Memory writePoll = new Memory(2L * LibC.POLLFD_SIZE);
    private final Object readMutex = new Object();
    private final Object writeMutex = new Object();
    /** Readers and writers share it; close takes it exclusively so no fd is reused under a call. */
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private PseudoTerminal(int master, int slave, int wakeRead, int wakeWrite, Path slavePath,
            Optional<Path> link, long writeStallNanos) {
        this.master = master;
        this.slave = slave;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        this.slavePath = slavePath;
        this.link = link;
        this.writeStallNanos = writeStallNanos;
    }

    /** Opens a pseudo-terminal with the default write stall limit. */
    public static PseudoTerminal open(Optional<Path> link) throws IOException {
        return open(link, DEFAULT_WRITE_STALL_MILLIS);
    }

    /**
     * Creates the pseudo-terminal, puts its slave in raw mode, and creates {@code link} (a
     * symlink to the slave) if given. A dangling symlink at that path is replaced; anything
     * else there (a regular file, a directory, a symlink to something that exists) is
     * refused, so a typo cannot destroy a file or steal another token's name.
     *
     * @param writeStallMillis how long a write may wait for the host to drain the line
     *     before it fails (bounds the wait when the host stops reading)
     */
    public static PseudoTerminal open(Optional<Path> link, long writeStallMillis) throws IOException {
        Objects.requireNonNull(link, "link");
        if (writeStallMillis <= 0) {
            throw new IllegalArgumentException("writeStallMillis must be positive: " + writeStallMillis);
        }
        int master = -1;
        int slave = -1;
        int[] wake = {-1, -1};
        try {
            master = LibC.posix_openpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
            check(master, "posix_openpt");
            check(LibC.grantpt(master), "grantpt");
            check(LibC.unlockpt(master), "unlockpt");
            Path slavePath = slaveName(master);
            slave = LibC.open(slavePath.toString(), LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
            check(slave, "open " + slavePath);
            makeRaw(slave);
            setNonBlocking(master);
            check(LibC.pipe2(wake, LibC.O_CLOEXEC | LibC.O_NONBLOCK), "pipe2");
            Optional<Path> created = Optional.empty();
            if (link.isPresent()) {
                createLink(link.get(), slavePath);
                created = link;
            }
            PseudoTerminal pty = new PseudoTerminal(master, slave, wake[0], wake[1], slavePath,
                    created, TimeUnit.MILLISECONDS.toNanos(writeStallMillis));
            Log.debug("pseudo-terminal {} ready{}", slavePath,
                    created.map(p -> " (link " + p + ")").orElse(""));
            return pty;
        } catch (IOException | RuntimeException e) {
            closeQuietly(wake[1]);
            closeQuietly(wake[0]);
            closeQuietly(slave);
            closeQuietly(master);
            throw e;
        }
    }

    /** The slave device the host opens, e.g. {@code /dev/pts/4}. */
    public Path slavePath() {
        return slavePath;
    }

    /** The symlink this terminal created and will remove at close, if any. */
    public Optional<Path> link() {
        return link;
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        fdLock.readLock().lock();
        try {
            ensureOpen();
            synchronized (writeMutex) {
                writeAll(data, off, len);
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    private void writeAll(byte[] data, int off, int len) throws IOException {
        int done = 0;
        long stallDeadline = System.nanoTime() + writeStallNanos;
        // Each pass writes something (and resets the deadline) or waits until the deadline:
        // the loop ends by completion, an error, or the stall limit.
        while (done < len) {
            int chunk = Math.min(len - done, IO_BUFFER_BYTES);
            writeBuffer.write(0, data, off + done, chunk);
            long n = LibC.write(master, writeBuffer, new NativeLong(chunk)).longValue();
            if (n > 0) {
                done += (int) n;
                stallDeadline = System.nanoTime() + writeStallNanos;
                continue;
            }
            int errno = LibC.errno();
            if (n < 0 && errno == LibC.EINTR) {
                continue;
            }
            if (n == 0 || errno == LibC.EAGAIN) {
                long remaining = stallDeadline - System.nanoTime();
                if (remaining <= 0 || !awaitWritable(remaining)) {
                    throw dropUnsent(done, len);
                }
                continue;
            }
            throw new IOException(LibC.describe("write " + slavePath + " master", errno));
        }
    }

    /**
     * The host has not read for the stall limit: drop what it did not read (the slave's input
     * queue: earlier replies, or a flood's answers) and the rest of this write, as a token
     * drops what it cannot send. The line stays up, so the token keeps listening; the next
     * write finds room again.
     */
    private LinkStalledException dropUnsent(int done, int len) {
        int flushed = LibC.tcflush(slave, LibC.TCIFLUSH);
        String message = "host is not reading " + slavePath + ": " + done + " of " + len
                + " bytes written in " + TimeUnit.NANOSECONDS.toMillis(writeStallNanos)
                + " ms; dropped the rest" + (flushed == 0 ? " and the unread replies" : "");
        Log.warn("{}; still listening", message);
        return new LinkStalledException(message, len - done);
    }

    /** Polls the master for POLLOUT; false when the time ran out. */
    private boolean awaitWritable(long remainingNanos) throws IOException {
        int revents = pollMasterAndWake(writePoll, LibC.POLLOUT, remainingNanos, "write");
        if (revents < 0) {
            return false;
        }
        if ((revents & LibC.POLLNVAL) != 0) {
            throw new IOException("write " + slavePath + ": master descriptor is invalid");
        }
        return true;
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("negative timeout: " + timeoutMillis);
        }
        if (len == 0) {
            return 0;
        }
        fdLock.readLock().lock();
        try {
            ensureOpen();
            synchronized (readMutex) {
                return readSome(buf, off, len, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    private int readSome(byte[] buf, int off, int len, long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean first = true;
        // Every pass either returns or blocks in poll(2) for data, a hang-up recheck, or the
        // rest of the timeout; it ends at the deadline at the latest.
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 && !first) {
                return 0;
            }
            first = false;
            int revents = pollMasterAndWake(readPoll, LibC.POLLIN, Math.max(remaining, 0), "read");
            if (revents < 0) {
                return 0;
            }
            if ((revents & LibC.POLLNVAL) != 0) {
                throw new IOException("read " + slavePath + ": master descriptor is invalid");
            }
            if ((revents & LibC.POLLIN) != 0) {
                int chunk = Math.min(len, IO_BUFFER_BYTES);
                long n = LibC.read(master, readBuffer, new NativeLong(chunk)).longValue();
                if (n > 0) {
                    readBuffer.read(0, buf, off, (int) n);
                    // The bytes may be part of a command carrying a key: no copy stays here.
                    readBuffer.clear(n);
                    return (int) n;
                }
                int errno = LibC.errno();
                if (n < 0 && (errno == LibC.EINTR || errno == LibC.EAGAIN)) {
                    continue;
                }
                if (n < 0 && errno != LibC.EIO) {
                    throw new IOException(LibC.describe("read " + slavePath + " master", errno));
                }
                // EIO or end of file: no host on the line right now.
            }
            waitForHost(deadline);
        }
    }

    /**
     * The master is hung up (EIO, POLLHUP or POLLERR): nothing to read until a host opens
     * the slave. Poll(2) would report the hang-up immediately again, so sleep in short
     * slices on the wake pipe only, to look again for a host without spinning and still
     * wake at once on close.
     */
    private void waitForHost(long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return;
        }
        long slice = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(HANGUP_RECHECK_MILLIS));
        readPoll.setInt(0, wakeRead);
        readPoll.setShort(LibC.POLLFD_EVENTS_OFFSET, LibC.POLLIN);
        readPoll.setShort(LibC.POLLFD_REVENTS_OFFSET, (short) 0);
        int r = LibC.poll(readPoll, new NativeLong(1), toPollMillis(slice));
        int errno = LibC.errno();
        if (r < 0 && errno != LibC.EINTR) {
            throw new IOException(LibC.describe("poll " + slavePath, errno));
        }
        if (r > 0) {
            throw new IOException(slavePath + " was closed");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for a host on " + slavePath);
        }
    }

    /**
     * Polls the master for {@code events} together with the wake pipe. Returns the master's
     * revents, or -1 when the time ran out. Throws if the terminal is being closed.
     */
    private int pollMasterAndWake(Memory fds, short events, long timeoutNanos, String what)
            throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        // EINTR restarts with the remaining time; bounded by the deadline.
        while (true) {
            fds.setInt(0, master);
            fds.setShort(LibC.POLLFD_EVENTS_OFFSET, events);
            fds.setShort(LibC.POLLFD_REVENTS_OFFSET, (short) 0);
            fds.setInt(LibC.POLLFD_SIZE, wakeRead);
            fds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS_OFFSET, LibC.POLLIN);
            fds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFFSET, (short) 0);
            int r = LibC.poll(fds, new NativeLong(2), toPollMillis(Math.max(deadline - System.nanoTime(), 0)));
            if (r < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EINTR && deadline - System.nanoTime() > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException(what + " " + slavePath + " interrupted");
                    }
                    continue;
                }
                if (errno == LibC.EINTR) {
                    return -1;
                }
                throw new IOException(LibC.describe("poll " + slavePath, errno));
            }
            if (r == 0) {
                return -1;
            }
            if (fds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS_OFFSET) != 0) {
                throw new IOException(what + " " + slavePath + ": the terminal was closed");
            }
            return fds.getShort(LibC.POLLFD_REVENTS_OFFSET);
        }
    }

    /** Poll takes whole milliseconds: round up so a short remaining time is not a busy poll. */
    private static int toPollMillis(long nanos) {
        long millis = (nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1) / TimeUnit.MILLISECONDS.toNanos(1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    @Override
    public void discardInput() throws IOException {
        fdLock.readLock().lock();
        try {
            ensureOpen();
            synchronized (readMutex) {
                for (int i = 0; i < MAX_DISCARD_READS; i++) {
                    long n = LibC.read(master, readBuffer, new NativeLong(IO_BUFFER_BYTES)).longValue();
                    if (n > 0) {
                        readBuffer.clear(n);
                        continue;
                    }
                    int errno = LibC.errno();
                    if (n < 0 && errno == LibC.EINTR) {
                        continue;
                    }
                    if (n == 0 || errno == LibC.EAGAIN || errno == LibC.EIO) {
                        return;
                    }
                    throw new IOException(LibC.describe("read " + slavePath + " master", errno));
                }
            }
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /**
     * Closes the terminal and removes the symlink if it still points at this terminal's
     * slave. Idempotent and safe from any thread: it wakes a blocked reader first, then
     * waits for in-flight calls to leave before the descriptors are released.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Memory wake = new Memory(1)) {
            wake.setByte(0, WAKE_BYTE);
            LibC.write(wakeWrite, wake, new NativeLong(1));
        }
        fdLock.writeLock().lock();
        try {
            closeQuietly(master);
            closeQuietly(slave);
            closeQuietly(wakeRead);
            closeQuietly(wakeWrite);
        } finally {
            fdLock.writeLock().unlock();
        }
        if (link.isPresent()) {
            removeLink(link.get(), slavePath);
        }
        Log.debug("pseudo-terminal {} closed", slavePath);
    }

    @Override
    public String toString() {
        return "PseudoTerminal[" + slavePath + link.map(p -> ", link " + p).orElse("")
                + (closed.get() ? ", closed" : "") + "]";
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(slavePath + " is closed");
        }
    }

    private static Path slaveName(int master) throws IOException {
        byte[] name = new byte[PTS_NAME_CAPACITY];
        int rc = LibC.ptsname_r(master, name, new NativeLong(name.length));
        if (rc != 0) {
            // ptsname_r returns the error number itself (and may also set errno).
            throw new IOException(LibC.describe("ptsname_r", rc > 0 ? rc : LibC.errno()));
        }
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return Path.of(new String(name, 0, end, StandardCharsets.UTF_8));
    }

    private static void makeRaw(int fd) throws IOException {
        byte[] termios = new byte[LibC.TERMIOS_BLOCK_SIZE];
        check(LibC.tcgetattr(fd, termios), "tcgetattr");
        LibC.cfmakeraw(termios);
        check(LibC.tcsetattr(fd, LibC.TCSANOW, termios), "tcsetattr");
    }

    private static void setNonBlocking(int fd) throws IOException {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        check(flags, "fcntl(F_GETFL)");
        check(LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK), "fcntl(F_SETFL)");
    }

    static void createLink(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            if (Files.exists(link)) {
                throw new IOException("refusing to replace " + link + ": it is a symbolic link to "
                        + Files.readSymbolicLink(link) + ", which exists (another token running?)");
            }
            try {
                Files.delete(link);
            } catch (IOException e) {
                throw new IOException("cannot replace the dangling link " + link + ": " + FileReason.writing(e), e);
            }
            Log.debug("replaced dangling symbolic link {}", link);
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("refusing to replace " + link + ": it is not a symbolic link"
                    + (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS) ? " but a directory" : " but a file"));
        }
        try {
            Files.createSymbolicLink(link, target);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("refusing to replace " + link + ": it appeared while creating the link", e);
        } catch (FileSystemException e) {
            throw new IOException("cannot make the link " + link + ": " + FileReason.writing(e), e);
        }
    }

    private static void removeLink(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            Files.deleteIfExists(link);
        } else {
            Log.warn("left {} alone: it no longer points at {}", link, target);
        }
    }

    private static void check(int rc, String call) throws IOException {
        if (rc < 0) {
            throw new IOException(LibC.describe(call, LibC.errno()));
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}
