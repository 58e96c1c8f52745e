package dev.otptoken.hardware.link;

import dev.otptoken.jssc.JsscLibrary;
import java.nio.file.Path;
import jssc.SerialPort;
import jssc.SerialPortException;
import jssc.SerialPortTimeoutException;

/** The host's end in tests: jssc used directly, the way the host CLI will use it. */
final class HostPort implements AutoCloseable {
    static final int BAUD = SerialPort.BAUDRATE_115200;
    static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int RECEIVE_PIECE = 1024;

    private final SerialPort port;

    private HostPort(SerialPort port) {
        this.port = port;
    }

    /** Opens like a careful host: settings (false is fine on a pty), then purge. */
    static HostPort open(Path device) throws SerialPortException {
        JsscLibrary.prepare();
        SerialPort port = new SerialPort(device.toString());
        if (!port.openPort()) {
            throw new IllegalStateException("cannot open " + device);
        }
        port.setParams(BAUD, SerialPort.DATABITS_8, SerialPort.STOPBITS_1, SerialPort.PARITY_NONE);
        port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        return new HostPort(port);
    }

    void send(byte[] frame) throws SerialPortException {
        if (!port.writeBytes(frame)) {
            throw new IllegalStateException("host write failed");
        }
    }

    /**
     * Reads {@code count} bytes in pieces: jssc's timed read waits until FIONREAD reports the
     * whole count, and a tty's input queue (4 KiB in raw mode) never reports 4096 at once.
     */
    byte[] receive(int count) throws SerialPortException, SerialPortTimeoutException {
        byte[] all = new byte[count];
        for (int got = 0; got < count; ) {
            int piece = Math.min(RECEIVE_PIECE, count - got);
            System.arraycopy(port.readBytes(piece, READ_TIMEOUT_MILLIS), 0, all, got, piece);
            got += piece;
        }
        return all;
    }

    int queued() throws SerialPortException {
        return port.getInputBufferBytesCount();
    }

    @Override
    public void close() throws SerialPortException {
        port.closePort();
    }
}
