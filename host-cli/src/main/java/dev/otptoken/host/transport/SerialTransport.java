package dev.otptoken.host.transport;

import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.t1.T1Exception;
import dev.otptoken.protocol.t1.T1HostChannel;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.Closeable;
import java.io.IOException;

/**
 * APDUs to a token on a serial line: a {@link SerialByteLink} carrying T=1 blocks
 * (docs/t1.md). Opening starts the T=1 session with S(RESYNCH), which also warm-resets
 * the token's selection and unlock state.
 */
public final class SerialTransport implements ApduTransport, Closeable {
    private final SerialByteLink link;
    private final T1HostChannel channel;
    private final String device;

    private SerialTransport(SerialByteLink link, T1HostChannel channel, String device) {
        this.link = link;
        this.channel = channel;
        this.device = device;
    }

    /** Opens {@code device} and synchronises with the token. */
    public static SerialTransport open(String device, T1Timing timing) throws IOException {
        return open(SerialByteLink.open(device), device, timing);
    }

    /**
     * A short look at {@code device} for {@code otptoken devices}: a port another command holds
     * is not waited for (it fails at once, "port DEVICE in use by PID N"), and {@code timing}
     * bounds how long a silent device is waited on.
     */
    public static SerialTransport probe(String device, T1Timing timing) throws IOException {
        return open(SerialByteLink.open(device, 0), device, timing);
    }

    private static SerialTransport open(SerialByteLink link, String device, T1Timing timing) throws IOException {
        T1HostChannel channel = new T1HostChannel(link, timing);
        try {
            channel.open();
        } catch (IOException e) {
            link.close();
            throw new IOException("no token at " + device + ": " + e.getMessage(), e);
        }
        return new SerialTransport(link, channel, device);
    }

    @Override
    public byte[] transceive(byte[] command) throws IOException {
        try {
            return channel.transceive(command);
        } catch (T1Exception e) {
            // the protocol's words ("card did not answer 3 S(RESYNCH) requests") say what failed,
            // not where: a command may have opened the only token found, or one of several
            throw new T1Exception("the serial line to the token at " + device + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            link.close();
        }
    }
}
