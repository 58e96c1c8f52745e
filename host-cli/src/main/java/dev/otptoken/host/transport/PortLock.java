package dev.otptoken.host.transport;

import dev.otptoken.log.Log;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One host command at a time on a serial port: an exclusive advisory lock on the device
 * itself, taken before the port is opened and held until it is closed. Two commands on one
 * line would read each other's replies (and, as root, jssc's TIOCEXCL does not stop the
 * second open). A second command waits up to {@link #WAIT_MILLIS} with a message naming the
 * process that holds the port, then gives up with "port DEVICE in use by PID N"
 * (docs/serial.md, "One command at a time").
 *
 * <p>The lock is a POSIX record lock ({@code fcntl}) through {@link FileChannel#tryLock()};
 * its holder is found in {@code /proc/locks} by the device's file-system and inode numbers.
 * Other programs that follow the same convention (or {@code flock -x}-style tools using
 * {@code fcntl}) are kept out too; programs that take no lock are not.
 */
final class PortLock implements Closeable {
    /** How long a command waits for the port before it gives up. */
    static final long WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 25;
    private static final int MINOR_LOW_MASK = 0xFF;
    private static final int MAJOR_SHIFT = 8;
    private static final int MAJOR_MASK = 0xFFF;
    private static final int MINOR_HIGH_SHIFT = 12;
    private static final int MINOR_HIGH_MASK = 0xFFF00;

    private final FileChannel channel;
    private final FileLock lock;

    private PortLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code device}, waiting up to {@code waitMillis} for another command to finish.
     *
     * @throws PortBusyException when the port is still held after the wait
     * @throws IOException when the device cannot be opened
     */
    static PortLock acquire(String device, long waitMillis) throws IOException {
        Path path = Path.of(device);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        boolean told = false;
        try {
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    lock = null;
                }
                if (lock != null) {
                    return new PortLock(channel, lock);
                }
                OptionalLong holder = holder(path);
                String who = holder.isPresent() ? "PID " + holder.getAsLong() : "another process";
                if (System.nanoTime() >= deadline) {
                    throw new PortBusyException("port " + device + " in use by " + who);
                }
                if (!told) {
                    Log.warn("waiting for {}: in use by {}", device, who);
                    told = true;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for " + device);
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The process holding a lock on the file at {@code path}, from {@code /proc/locks}. */
    static OptionalLong holder(Path path) {
        try {
            long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
            String id = String.format(Locale.ROOT, "%02x:%02x:%d", (dev >> MAJOR_SHIFT) & MAJOR_MASK,
                    (dev & MINOR_LOW_MASK) | ((dev >> MINOR_HIGH_SHIFT) & MINOR_HIGH_MASK), ino);
            for (String line : Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // "1: POSIX  ADVISORY  WRITE 12127 00:1a:3 0 EOF" (blocked waiters start "1: ->")
                if (f.length >= 6 && !f[1].equals("->") && f[5].equals(id)) {
                    return OptionalLong.of(Long.parseLong(f[4]));
                }
            }
        } catch (IOException | RuntimeException unknown) {
            Log.debug("cannot tell who holds {}: {}", path, unknown.getMessage());
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() throws IOException {
        // Closing the channel releases its lock; an explicit release could only add a failure
        // (it throws once the channel is closed, e.g. by an interrupt).
        if (lock.isValid() || channel.isOpen()) {
            channel.close();
        }
    }

    /** The port is held by another command for longer than a command waits. */
    static final class PortBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        PortBusyException(String message) {
            super(message);
        }
    }
}
