package dev.otptoken.firmware.sim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import jdk.net.ExtendedSocketOptions;
import org.tinylog.Logger;

/**
 * The token as a contactless card behind vpcd (PROTOCOL.md §4): a TCP client of the vpcd
 * reader driver. Every message is a 2-byte big-endian length then the payload; one-byte
 * payloads are control codes, longer ones C-APDUs answered by the R-APDU.
 */
final class VpcdCard implements AutoCloseable {
    static final int DEFAULT_PORT = 35963;
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int CTRL_OFF = 0x00;
    static final int CTRL_ON = 0x01;
    static final int CTRL_RESET = 0x02;
    static final int CTRL_ATR = 0x04;
    /**
     * ATR of a T=1 card with no historical bytes: TS 3B, T0 80 (TD1 follows), TD1 80
     * (TD2 follows, T=0 indicated), TD2 01 (T=1), TCK 01 (XOR of T0..TD2).
     */
    static final byte[] ATR = {0x3B, (byte) 0x80, (byte) 0x80, 0x01, 0x01};
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_FRAME = 0xFFFF;

    private final Card card;
    private final Socket socket;

    private VpcdCard(Card card, Socket socket) {
        this.card = card;
        this.socket = socket;
    }

    /** Parses {@code [HOST:]PORT}; throws IllegalArgumentException with a usage message. */
    static InetSocketAddress address(String spec) {
        String host = DEFAULT_HOST;
        String port = spec;
        int colon = spec.lastIndexOf(':');
        if (colon >= 0) {
            host = spec.substring(0, colon);
            port = spec.substring(colon + 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 0xFFFF || host.isEmpty()) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(host, p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--vpcd: expected [HOST:]PORT, e.g. 127.0.0.1:35963");
        }
    }

    /** Connects to vpcd; the card is "inserted" from then on. */
    static VpcdCard connect(Card card, InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot reach vpcd at " + address.getHostString() + ":" + address.getPort()
                    + " (is pcscd with vsmartcard-vpcd running?): " + e.getMessage(), e);
        }
        return new VpcdCard(card, s);
    }

    /** Serves vpcd until it closes the connection or {@link #close()}; returns normally then. */
    void serve() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        try {
            while (true) {
                quickAck();
                int len = in.readUnsignedShort();
                byte[] payload = new byte[len];
                in.readFully(payload);
                byte[] reply = handle(payload);
                if (reply != null) {
                    if (reply.length > MAX_FRAME) {
                        throw new IOException("reply too long for vpcd");
                    }
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            Logger.info("vpcd closed the connection");
        }
    }

    /**
     * vpcd writes the length and the payload separately; without an immediate ACK every
     * APDU waits for the delayed-ACK timer (about 40 ms). Linux resets the flag, so it is
     * set again before each read.
     */
    private void quickAck() {
        try {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (UnsupportedOperationException | IOException e) {
            Logger.debug("TCP_QUICKACK unavailable: {}", e.getMessage());
        }
    }

    /** The reply to one vpcd message, or null when there is none. */
    byte[] handle(byte[] payload) {
        if (payload.length == 1) {
            switch (payload[0] & 0xFF) {
                case CTRL_OFF, CTRL_ON -> card.powerEvent();
                case CTRL_RESET -> card.warmReset();
                case CTRL_ATR -> {
                    return ATR.clone();
                }
                default -> Logger.warn("vpcd: unknown control code {}", payload[0] & 0xFF);
            }
            return null;
        }
        return card.transmit(payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
