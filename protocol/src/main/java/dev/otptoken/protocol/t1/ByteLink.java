package dev.otptoken.protocol.t1;

import java.io.Closeable;
import java.io.IOException;

/**
 * A bidirectional byte stream: a serial port, a pseudo-terminal, or a test channel. The
 * only I/O seam of the serial line; the T=1 state machines never see it, the blocking
 * drivers do.
 */
public interface ByteLink extends Closeable {

    /** Writes all {@code len} bytes; throws if the peer or the device is gone. */
    void write(byte[] data, int off, int len) throws IOException;

    /**
     * Reads up to {@code len} bytes, waiting at most {@code timeoutMillis} for the first
     * one. Returns the number read, 0 when the time ran out. Throws
     * {@link java.io.IOException} when the device is gone (never spins or hangs).
     */
    int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException;

    /** Drops whatever input is pending (stale bytes from an earlier session). */
    void discardInput() throws IOException;
}
