package dev.otptoken.hardware.link;

import dev.otptoken.log.Log;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * The token as a contactless card for pcscd, through the vpcd reader driver
 * (vsmartcard-vpcd): the card connects to vpcd by TCP and answers its messages.
 *
 * <p>Every message is a 2-byte big-endian length and a payload. A one-byte payload is a
 * control code — {@code 00} power off, {@code 01} power on, {@code 02} reset (no reply),
 * {@code 04} get ATR (reply: the ATR) — and anything longer is a command APDU, answered
 * with the response APDU. pcscd asks for the ATR about every 400 ms as its presence check.
 *
 * <p>vpcd writes the length and the payload in two segments; without
 * {@code TCP_QUICKACK} (set again before every read, since Linux clears it) each APDU
 * waits about 40 ms for a delayed ACK. When vpcd goes away (pcscd restarted), the link
 * powers the card off and reconnects with a bounded back-off until {@link #stop()}.
 */
public final class VpcdLink implements Runnable, AutoCloseable {
    /** Default vpcd port of reader {@code Virtual PCD 00 00}. */
    public static final int DEFAULT_PORT = 35963;
    public static final String DEFAULT_HOST = "127.0.0.1";

    static final int CTRL_POWER_OFF = 0x00;
    static final int CTRL_POWER_ON = 0x01;
    static final int CTRL_RESET = 0x02;
    static final int CTRL_GET_ATR = 0x04;

    /** Longest payload accepted: an extended APDU (4 + 3 + 65535 + 3). */
    private static final int MAX_PAYLOAD = 65_545;
    private static final long RECONNECT_MIN_MILLIS = 100;
    private static final long RECONNECT_MAX_MILLIS = 2_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final String host;
    private final int port;
    private final ContactlessCard card;
    private volatile boolean running = true;
    private volatile Socket socket;
    private volatile Socket first;
    private volatile boolean connected;

    public VpcdLink(String host, int port, ContactlessCard card) {
        this.host = host;
        this.port = port;
        this.card = card;
    }

    /** Parses {@code [HOST:]PORT}; an empty spec gives the default; bad ones are refused. */
    public static InetSocketAddress parseAddress(String spec) {
        if (spec == null || spec.isBlank()) {
            return InetSocketAddress.createUnresolved(DEFAULT_HOST, DEFAULT_PORT);
        }
        int colon = spec.lastIndexOf(':');
        String h = colon < 0 ? DEFAULT_HOST : spec.substring(0, colon);
        String p = colon < 0 ? spec : spec.substring(colon + 1);
        int portNumber = -1;
        try {
            portNumber = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            portNumber = -1;
        }
        if (h.isEmpty() || portNumber < 1 || portNumber > 65_535) {
            throw new IllegalArgumentException("--vpcd: expected [HOST:]PORT, e.g. 127.0.0.1:35963");
        }
        return InetSocketAddress.createUnresolved(h, portNumber);
    }

    /** Whether a vpcd connection is up now. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Connects now, once: vpcd must be there when the token starts (docs/otptoken-sim.md,
     * {@code --vpcd}); {@link #run()} serves on this connection first. Later losses of the
     * connection (pcscd restarted) are a card taken out of the field and put back: run
     * reconnects.
     *
     * @throws IOException "vpcd at HOST:PORT cannot be reached (...)"
     */
    public void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            String why = e instanceof java.net.UnknownHostException ? "unknown host" : e.getMessage();
            throw new IOException("vpcd at " + host + ":" + port + " cannot be reached (" + why
                    + "): is pcscd running with vpcd?", e);
        }
        first = s;
    }

    /** Serves until {@link #stop()} (on {@link #connect()}'s connection first), reconnecting whenever vpcd goes away. */
    @Override
    public void run() {
        long backoff = RECONNECT_MIN_MILLIS;
        boolean reportedDown = false;
        while (running) {
            Socket next = first != null ? first : new Socket();
            first = null;
            try (Socket s = next) {
                socket = s;
                if (!s.isConnected()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                }
                connected = true;
                reportedDown = false;
                backoff = RECONNECT_MIN_MILLIS;
                Log.info("vpcd: connected to {}:{}", host, port);
                serve(s);
            } catch (IOException e) {
                if (running && !reportedDown) {
                    Log.warn("vpcd: no connection to {}:{} ({}); retrying", host, port, e.getMessage());
                    reportedDown = true;
                }
            } finally {
                if (connected) {
                    connected = false;
                    card.powerOff();
                }
                socket = null;
            }
            if (running) {
                sleep(backoff);
                backoff = Math.min(RECONNECT_MAX_MILLIS, backoff * 2);
            }
        }
    }

    private void serve(Socket s) throws IOException {
        InputStream raw = s.getInputStream();
        DataInputStream in = new DataInputStream(raw);
        OutputStream out = s.getOutputStream();
        boolean quickAck = s.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        while (running) {
            if (quickAck) {
                s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            int length;
            try {
                length = in.readUnsignedShort();
            } catch (EOFException e) {
                Log.info("vpcd: connection closed by vpcd");
                return;
            }
            if (length == 0 || length > MAX_PAYLOAD) {
                throw new IOException("vpcd sent a message of length " + length);
            }
            byte[] payload = new byte[length];
            if (quickAck) {
                s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            in.readFully(payload);
            byte[] reply;
            try {
                reply = handle(payload);
            } finally {
                // A command may carry a key (PUT, SET CODE, VALIDATE): no copy outlives it.
                Arrays.fill(payload, (byte) 0);
            }
            if (reply != null) {
                byte[] frame = new byte[2 + reply.length];
                frame[0] = (byte) (reply.length >>> 8);
                frame[1] = (byte) reply.length;
                System.arraycopy(reply, 0, frame, 2, reply.length);
                out.write(frame);
                out.flush();
            }
        }
    }

    /** Answers one vpcd message; {@code null} means no reply. */
    byte[] handle(byte[] payload) {
        if (payload.length == 1) {
            switch (payload[0] & 0xFF) {
                case CTRL_POWER_OFF -> card.powerOff();
                case CTRL_POWER_ON -> card.powerOn();
                case CTRL_RESET -> card.reset();
                case CTRL_GET_ATR -> {
                    return card.atr();
                }
                default -> Log.warn("vpcd: unknown control code {}", payload[0] & 0xFF);
            }
            return null;
        }
        return card.transmit(payload);
    }

    /** Stops serving: closes the connection and ends {@link #run()}. */
    public void stop() {
        running = false;
        Socket unused = first;
        first = null;
        if (unused != null) {
            try {
                unused.close();
            } catch (IOException e) {
                Log.debug("vpcd: close failed: {}", e.getMessage());
            }
        }
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                Log.debug("vpcd: close failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * A PC/SC-style ATR of an ISO 14443-4 card carrying {@code historical} bytes:
     * {@code 3B 8k 80 01 <historical> TCK}, TCK the XOR of every byte after TS.
     */
    public static byte[] iso14443Atr(byte[] historical) {
        if (historical.length > 15) {
            throw new IllegalArgumentException("at most 15 historical bytes");
        }
        byte[] atr = new byte[4 + historical.length + 1];
        atr[0] = 0x3B;
        atr[1] = (byte) (0x80 | historical.length);
        atr[2] = (byte) 0x80;
        atr[3] = 0x01;
        System.arraycopy(historical, 0, atr, 4, historical.length);
        int tck = 0;
        for (int i = 1; i < atr.length - 1; i++) {
            tck ^= atr[i];
        }
        atr[atr.length - 1] = (byte) tck;
        return atr;
    }
}
