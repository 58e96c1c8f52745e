package dev.otptoken.hardware.link;

import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Makes a fast link (a pseudo-terminal moves megabytes per second) as slow as a UART at a
 * given baud rate, so the firmware meets the throughput limits of a real serial line: each
 * byte costs {@value #BITS_PER_BYTE} bit times (start bit, 8 data bits, stop bit).
 *
 * <p>Bytes are handed on in chunks of about {@value #CHUNK_MILLIS} ms of line time, each
 * after the time its last byte would have taken to leave the UART, so the receiver sees a
 * frame trickle in rather than arrive early. The line is a shared resource: a write that
 * follows another before the line is free starts where the previous one ended. Only writes
 * are paced; reads pass through (the far side paces its own transmissions).
 */
public final class PacedLink implements ByteLink {
    /** Start bit + 8 data bits + stop bit. */
    public static final int BITS_PER_BYTE = 10;
    /** Line time handed on per chunk. */
    public static final int CHUNK_MILLIS = 10;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** The time source and the sleep; injected so tests can count the sleep without waiting. */
    public interface LineTimer {
        /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
        long nanoTime();

        /** Sleeps {@code nanos} (positive). */
        void sleepNanos(long nanos) throws InterruptedException;

        /** The system's monotonic clock and {@link Thread#sleep}. */
        static LineTimer system() {
            return new LineTimer() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepNanos(long nanos) throws InterruptedException {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                }
            };
        }
    }

    private final ByteLink inner;
    private final int baud;
    private final LineTimer timer;
    private final int chunkBytes;
    private final Object lineMutex = new Object();
    /** When the line finishes sending what was written so far (timer nanos); guarded by lineMutex. */
    private long lineFreeAt;
    private boolean lineUsed;

    /** Paces {@code inner} at {@code baud} with the system clock. */
    public PacedLink(ByteLink inner, int baud) {
        this(inner, baud, LineTimer.system());
    }

    public PacedLink(ByteLink inner, int baud, LineTimer timer) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive: " + baud);
        }
        this.baud = baud;
        this.chunkBytes = (int) Math.max(1, (long) baud * CHUNK_MILLIS / BITS_PER_BYTE / TimeUnit.SECONDS.toMillis(1));
    }

    /** The configured line speed in bits per second. */
    public int baud() {
        return baud;
    }

    /** Line time of {@code bytes} bytes at this baud rate, in nanoseconds, rounded up. */
    public long lineTimeNanos(long bytes) {
        long bitTimes = Math.multiplyExact(bytes, BITS_PER_BYTE);
        return Math.floorDiv(Math.multiplyExact(bitTimes, NANOS_PER_SECOND) + baud - 1, baud);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        synchronized (lineMutex) {
            long now = timer.nanoTime();
            long start = lineUsed && lineFreeAt - now > 0 ? lineFreeAt : now;
            int sent = 0;
            // One pass per chunk; len / chunkBytes + 1 passes at most.
            while (sent < len) {
                int chunk = Math.min(chunkBytes, len - sent);
                long chunkEnd = start + lineTimeNanos(sent + chunk);
                long wait = chunkEnd - timer.nanoTime();
                if (wait > 0) {
                    try {
                        timer.sleepNanos(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while pacing a write");
                    }
                }
                inner.write(data, off + sent, chunk);
                sent += chunk;
                lineFreeAt = chunkEnd;
                lineUsed = true;
            }
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        return inner.read(buf, off, len, timeoutMillis);
    }

    @Override
    public void discardInput() throws IOException {
        inner.discardInput();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "PacedLink[" + baud + " baud, " + inner + "]";
    }
}
