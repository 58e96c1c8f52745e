package dev.otptoken.host.transport;

import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jssc.SerialPort;
import jssc.SerialPortException;
import jssc.SerialPortTimeoutException;

/**
 * A {@link ByteLink} over a jssc serial port (a USB CDC-ACM device, a cable, or a
 * pseudo-terminal the simulated token created).
 *
 * <p>Every read has a timeout: jssc's {@code readBytes(n)} without one spins forever on a
 * vanished peer (SERIAL-NOTES.md). jssc waits inside the calling thread, so closing the
 * link leaves no thread behind.
 */
public final class SerialByteLink implements ByteLink {
    /** The line speed a CDC-ACM token ignores but a real UART needs. */
    public static final int BAUD_RATE = 115_200;
    private static final int DATA_BITS = 8;
    private static final int ONE_STOP_BIT = 1;
    private static final int NO_PARITY = 0;

    private final String device;
    private final SerialPort port;

    private SerialByteLink(String device, SerialPort port) {
        this.device = device;
        this.port = port;
    }

    /**
     * Opens {@code device}, sets 115200 8N1 and purges both directions.
     *
     * @throws IOException "no token at DEVICE: ..." when it does not exist or cannot be opened
     */
    public static SerialByteLink open(String device) throws IOException {
        if (device == null || device.isBlank()) {
            throw new IOException("no token: no serial port given (use --port or OTPTOKEN_PORT)");
        }
        if (!Files.exists(Path.of(device))) {
            throw new IOException("no token at " + device + ": no such device");
        }
        SerialPort port = new SerialPort(device);
        try {
            port.openPort();
        } catch (SerialPortException e) {
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
            throw new IOException("no token at " + device + ": " + reason(e), e);
        }
        return new SerialByteLink(device, port);
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
        try {
            int available = port.getInputBufferBytesCount();
            if (available < 0) {
                throw new IOException("token at " + device + " lost");
            }
            if (available == 0) {
                if (timeoutMillis <= 0) {
                    return 0;
                }
                int wait = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
                byte[] first;
                try {
                    first = port.readBytes(1, wait);
                } catch (SerialPortTimeoutException e) {
                    return 0;
                }
                buf[off] = first[0];
                int more = Math.min(len - 1, Math.max(0, port.getInputBufferBytesCount()));
                if (more == 0) {
                    return 1;
                }
                byte[] rest = port.readBytes(more, wait);
                System.arraycopy(rest, 0, buf, off + 1, rest.length);
                return 1 + rest.length;
            }
            int n = Math.min(len, available);
            byte[] got = port.readBytes(n, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
            System.arraycopy(got, 0, buf, off, got.length);
            return got.length;
        } catch (SerialPortTimeoutException e) {
            throw new IOException("token at " + device + " lost: bytes announced but not delivered", e);
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
        if (!port.isOpened()) {
            return;
        }
        try {
            port.closePort();
        } catch (SerialPortException e) {
            throw new IOException("closing " + device + ": " + reason(e), e);
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
