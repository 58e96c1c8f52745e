package dev.otptoken.firmware.testing;

import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import jssc.SerialPort;
import jssc.SerialPortException;
import jssc.SerialPortTimeoutException;

/** The host end of the token's serial line in tests: a jssc port as a {@link ByteLink}. */
public final class JsscLink implements ByteLink {
    private final SerialPort port;

    public JsscLink(String device) throws IOException {
        port = new SerialPort(device);
        try {
            port.openPort();
            // Returns false on a pseudo-terminal although the settings apply (SERIAL-NOTES.md).
            port.setParams(115_200, 8, 1, 0);
            port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        } catch (SerialPortException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        byte[] b = new byte[len];
        System.arraycopy(data, off, b, 0, len);
        try {
            if (!port.writeBytes(b)) {
                throw new IOException("write failed");
            }
        } catch (SerialPortException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        try {
            int avail = port.getInputBufferBytesCount();
            if (avail <= 0) {
                byte[] first = port.readBytes(1, (int) Math.max(1, timeoutMillis));
                buf[off] = first[0];
                return 1;
            }
            byte[] b = port.readBytes(Math.min(len, avail));
            System.arraycopy(b, 0, buf, off, b.length);
            return b.length;
        } catch (SerialPortTimeoutException e) {
            return 0;
        } catch (SerialPortException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void discardInput() throws IOException {
        try {
            port.purgePort(SerialPort.PURGE_RXCLEAR);
        } catch (SerialPortException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            port.closePort();
        } catch (SerialPortException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
