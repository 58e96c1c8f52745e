package dev.otptoken.host.session;

import dev.otptoken.host.transport.PcscTransport;
import dev.otptoken.host.transport.SerialTransport;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.Closeable;
import java.io.IOException;
import org.tinylog.Logger;

/** One open token: its transport (serial or PC/SC), traced, and its two sessions. */
public final class Token implements Closeable {
    private final TokenAddress address;
    private final ApduTransport transport;
    private final TracingTransport traced;

    private Token(TokenAddress address, ApduTransport transport) {
        this.address = address;
        this.transport = transport;
        this.traced = new TracingTransport(transport);
    }

    public static Token open(TokenAddress address, Opener opener) throws IOException {
        Logger.info("opening {}", address.label());
        return new Token(address, address.open(opener));
    }

    /**
     * Opens the transport to a token: one way for each kind of {@link TokenAddress}. The
     * serial line is the seam (a scripted token in tests); a reader is always PC/SC.
     */
    @FunctionalInterface
    public interface Opener {
        /** The serial line to the token at {@code port}. */
        ApduTransport serial(TokenAddress.SerialPort port) throws IOException;

        /** A PC/SC reader: javax.smartcardio and pcscd; 61xx is joined by the sessions. */
        default ApduTransport pcsc(TokenAddress.PcscReader reader) throws IOException {
            return PcscTransport.open(reader.name());
        }

        /** The machine's own: serial ports through jssc and T=1, readers through PC/SC. */
        static Opener system() {
            return port -> SerialTransport.open(port.device(), T1Timing.DEFAULT);
        }
    }

    public TokenAddress address() {
        return address;
    }

    /** The OATH session, selected and, if the token is locked, unlocked with a password from {@code passwords}. */
    public OathSession oath(PasswordSource passwords) throws IOException, ApduException, WrongPasswordException {
        OathSession session = new OathSession(traced);
        Selection s = session.select();
        Logger.info("OATH applet {} on {}{}", s.version(), address.label(), s.locked() ? " (locked)" : "");
        if (s.locked()) {
            char[] password = passwords.read("password for the token at " + address.label() + ": ");
            if (password == null) {
                throw new PasswordRequiredException();
            }
            try {
                session.unlock(password);
            } finally {
                SecretBytes.wipe(password);
            }
        }
        return session;
    }

    /** An OATH session not yet selected, for commands that work on a locked token (reset, password unlock). */
    public OathSession oathSelected() {
        return new OathSession(traced);
    }

    public DeviceSession device(boolean select) throws IOException, ApduException {
        DeviceSession session = new DeviceSession(traced);
        if (select) {
            session.select();
        }
        return session;
    }

    /** The management application of a YubiKey, selected; 6A82 ({@link ApduException}) on a token without one. */
    public ManagementSession management() throws IOException, ApduException {
        ManagementSession session = new ManagementSession(traced);
        session.select();
        return session;
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
