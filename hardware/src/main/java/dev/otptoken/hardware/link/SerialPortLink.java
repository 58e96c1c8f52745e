package dev.otptoken.hardware.link;

import dev.otptoken.jssc.JsscLibrary;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jssc.SerialPort;
import jssc.SerialPortException;
import jssc.SerialPortTimeoutException;

/**
 * The token attached to an existing serial device ({@code --port}): a socat pair, a USB
 * serial adapter, a real cable. The hardware side's only use of jssc.
 *
 * <p>Quirks handled (see docs/serial.md): {@code setParams} returns false on a
 * pseudo-terminal although the settings are applied, so false is only logged; pending
 * bytes are purged after opening because a tty delivers to the next opener what was
 * written while nobody had it open; jssc's blocking reads are only ever used with a
 * timeout, because without one they spin forever on a vanished peer.
 *
 * <p>Idle waiting: jssc's timed read busy-waits a core until its count is reached, so
 * {@link #read} instead asks the driver how many bytes are queued (FIONREAD) and sleeps
 * {@value #IDLE_POLL_MILLIS} ms between asks while nothing is there. That costs up to that
 * much extra latency on the first byte of a frame and about a thousand cheap ioctls per
 * idle second — negligible CPU, where the timed read would burn a full core. Once bytes
 * are queued they are taken at once. A vanished device (the far end of a socat pair
 * killed, an adapter unplugged) makes FIONREAD fail, which jssc reports as a negative
 * count: that becomes an {@link IOException}.
 */
public final class SerialPortLink implements ByteLink {
    /** The sleep between availability checks while idle; the first-byte latency it adds. */
    public static final int IDLE_POLL_MILLIS = 1;
    /** Bound for taking bytes already counted as queued; they are there, so it never waits long. */
    private static final int QUEUED_READ_TIMEOUT_MILLIS = 1_000;
    private static final int DATA_BITS = SerialPort.DATABITS_8;
    private static final int STOP_BITS = SerialPort.STOPBITS_1;
    private static final int PARITY = SerialPort.PARITY_NONE;

    private final SerialPort port;
    private final String device;
    private final Object readMutex = new Object();
    private final Object writeMutex = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SerialPortLink(SerialPort port, String device) {
        this.port = port;
        this.device = device;
    }

    /**
     * Opens {@code device} at {@code baud}, 8 data bits, 1 stop bit, no parity, and drops
     * whatever was pending in either direction.
     */
    public static SerialPortLink open(String device, int baud) throws IOException {
        Objects.requireNonNull(device, "device");
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive: " + baud);
        }
        JsscLibrary.prepare();
        SerialPort port = new SerialPort(device);
        try {
            if (!port.openPort()) {
                throw new IOException("cannot open " + device);
            }
        } catch (SerialPortException e) {
            throw new IOException("cannot open " + device + ": " + e.getExceptionType(), e);
        }
        try {
            if (!port.setParams(baud, DATA_BITS, STOP_BITS, PARITY)) {
                // On a pseudo-terminal the modem-line ioctl fails with ENOTTY after the line
                // settings were applied: not an error (docs/serial.md).
                Log.debug("{}: setParams reported false (expected on a pseudo-terminal)", device);
            }
            if (!port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR)) {
                throw new IOException("cannot purge " + device);
            }
        } catch (IOException e) {
            try {
                port.closePort();
            } catch (SerialPortException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SerialPortException spe) {
                throw new IOException("cannot set up " + device + ": " + spe.getExceptionType(), e);
            }
            throw e;
        }
        Log.debug("serial port {} open at {} baud", device, baud);
        return new SerialPortLink(port, device);
    }

    /** The device name this link was opened with. */
    public String device() {
        return device;
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len == 0) {
            return;
        }
        ensureOpen();
        byte[] chunk = Arrays.copyOfRange(data, off, off + len);
        synchronized (writeMutex) {
            try {
                if (!port.writeBytes(chunk)) {
                    throw new IOException("write to " + device + " failed (device gone?)");
                }
            } catch (SerialPortException e) {
                throw new IOException("write to " + device + ": " + e.getExceptionType(), e);
            }
        }
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
        ensureOpen();
        synchronized (readMutex) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            // Each pass sleeps IDLE_POLL_MILLIS at most, and the loop ends at the deadline.
            while (true) {
                int queued = queuedBytes();
                if (queued > 0) {
                    return take(buf, off, Math.min(queued, len));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return 0;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading " + device);
                }
                ensureOpen();
            }
        }
    }

    private int queuedBytes() throws IOException {
        try {
            int queued = port.getInputBufferBytesCount();
            if (queued < 0) {
                throw new IOException(device + " is gone (cannot query its input queue)");
            }
            return queued;
        } catch (SerialPortException e) {
            throw new IOException("read from " + device + ": " + e.getExceptionType(), e);
        }
    }

    private int take(byte[] buf, int off, int count) throws IOException {
        try {
            byte[] got = port.readBytes(count, QUEUED_READ_TIMEOUT_MILLIS);
            System.arraycopy(got, 0, buf, off, got.length);
            return got.length;
        } catch (SerialPortTimeoutException e) {
            // Counted as queued but not delivered in time: another reader took them, or the
            // driver dropped them. Nothing read; the caller sees a timeout.
            return 0;
        } catch (SerialPortException e) {
            throw new IOException("read from " + device + ": " + e.getExceptionType(), e);
        }
    }

    @Override
    public void discardInput() throws IOException {
        ensureOpen();
        synchronized (readMutex) {
            try {
                if (!port.purgePort(SerialPort.PURGE_RXCLEAR)) {
                    throw new IOException("cannot purge " + device);
                }
            } catch (SerialPortException e) {
                throw new IOException("purge " + device + ": " + e.getExceptionType(), e);
            }
        }
    }

    /** Closes the port; idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (readMutex) {
            synchronized (writeMutex) {
                try {
                    port.closePort();
                } catch (SerialPortException e) {
                    throw new IOException("close " + device + ": " + e.getExceptionType(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SerialPortLink[" + device + (closed.get() ? ", closed" : "") + "]";
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(device + " is closed");
        }
    }
}
