package dev.otptoken.host.cli;

import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.PasswordRequiredException;
import dev.otptoken.host.session.Selection;
import dev.otptoken.host.session.TracingTransport;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.host.transport.SerialTransport;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.Closeable;
import java.io.IOException;
import org.tinylog.Logger;

/** One open token: the serial transport, traced, and its two sessions. */
final class Token implements Closeable {
    private final String device;
    private final ApduTransport transport;
    private final TracingTransport traced;

    private Token(String device, ApduTransport transport) {
        this.device = device;
        this.transport = transport;
        this.traced = new TracingTransport(transport);
    }

    static Token open(String device, Opener opener) throws IOException {
        Logger.info("opening {}", device);
        return new Token(device, opener.open(device));
    }

    /** Opens the transport to a token; the serial line in production, a scripted token in tests. */
    @FunctionalInterface
    interface Opener {
        ApduTransport open(String device) throws IOException;

        /** The serial line: jssc and T=1. */
        static Opener serial() {
            return device -> SerialTransport.open(device, T1Timing.DEFAULT);
        }
    }

    String device() {
        return device;
    }

    /** The OATH session, selected and, if the token is locked, unlocked with a password from {@code passwords}. */
    OathSession oath(Passwords passwords) throws IOException, ApduException, WrongPasswordException {
        OathSession session = new OathSession(traced);
        Selection s = session.select();
        Logger.info("OATH applet {} on {}{}", s.version(), device, s.locked() ? " (locked)" : "");
        if (s.locked()) {
            char[] password = passwords.read("password for the token at " + device + ": ");
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
    OathSession oathSelected() {
        return new OathSession(traced);
    }

    DeviceSession device(boolean select) throws IOException, ApduException {
        DeviceSession session = new DeviceSession(traced);
        if (select) {
            session.select();
        }
        return session;
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
