package dev.otptoken.host.transport;

import dev.otptoken.files.FileReason;
import dev.otptoken.jssc.JsscLibrary;
import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * A {@link ByteLink} over a jssc serial port (a USB CDC-ACM device, a cable, or a
 * pseudo-terminal the simulated token created).
 *
 * <p>Every read has a timeout: jssc's {@code readBytes(n)} without one spins forever on a
 * vanished peer (docs/serial.md). jssc waits inside the calling thread, so closing the
 * link leaves no thread behind.
 */
public final class SerialByteLink implements ByteLink {
    /**
     * How long a read looks at the input queue without pausing before it starts to park:
     * longer than a token's usual reply. Parking adds up to a poll interval (plus the
     * kernel's timer slack) between the reply's arrival and the host seeing it, and that
     * delay wanders with the machine's load; the calibrator times every exchange and reads
     * such wander as clock drift (docs/calibration.md). A look costs about a microsecond.
     */
    static final long SPIN_NANOS = 2_000_000;

    /** How long a read parks between looks at the input queue once it has spun {@link #SPIN_NANOS}. */
    static final long IDLE_POLL_NANOS = 50_000;

    /** How long a read of already-queued bytes may take before the port is presumed hung up. */
    static final long READ_WATCHDOG_MILLIS = 2_000;

    /** One daemon thread for every link's read watchdog; it only ever closes a hung port. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "serial-read-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** The line speed a CDC-ACM token ignores but a real UART needs. */
    public static final int BAUD_RATE = 115_200;
    private static final int DATA_BITS = 8;
    private static final int ONE_STOP_BIT = 1;
    private static final int NO_PARITY = 0;

    private final String device;
    private final SerialPort port;
    private final PortLock lock;

    private SerialByteLink(String device, SerialPort port, PortLock lock) {
        this.device = device;
        this.port = port;
        this.lock = lock;
    }

    /**
     * Locks {@code device} for this command ({@link PortLock}: another command on the same
     * port is waited for, within a bound), opens it, sets 115200 8N1 and purges both directions.
     *
     * @throws IOException "no token at DEVICE: ..." when it does not exist or cannot be opened,
     *     "port DEVICE in use by PID N" when another command keeps it
     */
    public static SerialByteLink open(String device) throws IOException {
        return open(device, PortLock.WAIT_MILLIS);
    }

    /** {@link #open(String)}, waiting at most {@code waitMillis} for a port another command holds (0: not at all). */
    public static SerialByteLink open(String device, long waitMillis) throws IOException {
        if (device == null || device.isBlank()) {
            throw new IOException("no token: no serial port given (use --port or OTPTOKEN_PORT)");
        }
        if (!Files.exists(Path.of(device))) {
            throw new IOException("no token at " + device + ": no such device");
        }
        if (Files.isDirectory(Path.of(device))) {
            throw new IOException("no token at " + device + ": a directory, not a serial port");
        }
        PortLock lock;
        try {
            lock = PortLock.acquire(device, waitMillis);
        } catch (PortLock.PortBusyException busy) {
            throw busy;
        } catch (IOException e) {
            throw new IOException("no token at " + device + ": " + FileReason.of(e), e);
        }
        JsscLibrary.prepare();
        SerialPort port = new SerialPort(device);
        try {
            port.openPort();
        } catch (SerialPortException e) {
            lock.close();
            throw new IOException("no token at " + device + ": " + reason(e), e);
        }
        try {
            // On a pseudo-terminal setParams answers false although the settings were applied:
            // only the modem-line ioctl fails (ENOTTY). Not an error.
            port.setParams(BAUD_RATE, DATA_BITS, ONE_STOP_BIT, NO_PARITY);
            // Bytes written while nobody had the port open are delivered to the next opener.
            port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        } catch (SerialPortException e) {
            closeQuietly(port);
            lock.close();
            throw new IOException("no token at " + device + ": " + reason(e), e);
        }
        return new SerialByteLink(device, port, lock);
    }

    /** The device path this link was opened on. */
    public String device() {
        return device;
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        byte[] chunk = (off == 0 && len == data.length) ? data : java.util.Arrays.copyOfRange(data, off, off + len);
        try {
            if (!port.writeBytes(chunk)) {
                throw new IOException("token at " + device + " lost: write failed");
            }
        } catch (SerialPortException e) {
            throw new IOException("token at " + device + " lost: " + reason(e), e);
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        if (len == 0) {
            return 0;
        }
        // Wait by polling the queued count, then read only what is queued: a native read
        // that waits (even jssc's readBytes(n, timeout) once it has seen a byte) can block
        // for good when the token vanishes in the middle of it. Spin first, then park.
        long begin = System.nanoTime();
        long deadline = begin + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        long spinUntil = begin + SPIN_NANOS;
        try {
            while (true) {
                int available = port.getInputBufferBytesCount();
                if (available < 0) {
                    throw new IOException("token at " + device + " lost");
                }
                if (available > 0) {
                    int n = Math.min(len, available);
                    byte[] got = readQueued(port, n, READ_WATCHDOG_MILLIS, device);
                    System.arraycopy(got, 0, buf, off, got.length);
                    return got.length;
                }
                long now = System.nanoTime();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return 0;
                }
                if (now < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                LockSupport.parkNanos(Math.min(remaining, IDLE_POLL_NANOS));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading " + device);
                }
            }
        } catch (SerialPortException e) {
            throw new IOException("token at " + device + " lost: " + reason(e), e);
        }
    }

    /**
     * Reads {@code n} bytes the input queue reported, in jssc's native read, under a watchdog. If the device hangs up
     * between the count and the read, the tty flushes its queue and jssc's native read loops
     * on read(2) returning 0 for good (observed: an unplug sweep left a host spinning a core
     * for ten minutes). After {@code watchdogMillis} the watchdog closes the port: the native
     * loop then fails with EBADF and jssc throws, which becomes an {@link IOException}. Reading
     * bytes already queued takes microseconds, so the watchdog only ever fires on a hang.
     */
    static byte[] readQueued(SerialPort port, int n, long watchdogMillis, String device)
            throws IOException, SerialPortException {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
            fired.set(true);
            closeQuietly(port);
        }, watchdogMillis, TimeUnit.MILLISECONDS);
        try {
            // The count is known to be queued: no Java-side wait (jssc's readBytes(n, timeout)
            // would only poll the count again); the watchdog bounds the native read instead.
            byte[] got = port.readBytes(n);
            if (fired.get() || got == null) {
                throw new IOException("token at " + device + " lost: the device hung up during a read");
            }
            return got;
        } catch (SerialPortException | RuntimeException e) {
            if (fired.get()) {
                throw new IOException("token at " + device + " lost: the device hung up during a read", e);
            }
            throw e;
        } finally {
            dog.cancel(false);
        }
    }

    /** How many bytes wait in the input queue now (FIONREAD), without taking any. */
    int queued() throws IOException {
        try {
            int n = port.getInputBufferBytesCount();
            if (n < 0) {
                throw new IOException("token at " + device + " lost");
            }
            return n;
        } catch (SerialPortException e) {
            throw new IOException("token at " + device + " lost: " + reason(e), e);
        }
    }

    @Override
    public void discardInput() throws IOException {
        try {
            port.purgePort(SerialPort.PURGE_RXCLEAR);
        } catch (SerialPortException e) {
            throw new IOException("token at " + device + " lost: " + reason(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (port.isOpened()) {
                port.closePort();
            }
        } catch (SerialPortException e) {
            throw new IOException("closing " + device + ": " + reason(e), e);
        } finally {
            lock.close();
        }
    }

    private static String reason(SerialPortException e) {
        String type = e.getExceptionType();
        return type == null ? String.valueOf(e.getMessage()) : type.toLowerCase(java.util.Locale.ROOT);
    }

    private static void closeQuietly(SerialPort port) {
        try {
            port.closePort();
        } catch (SerialPortException ignored) {
            // already failing; the first error is the one reported
        }
    }
}
