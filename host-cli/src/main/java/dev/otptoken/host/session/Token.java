package dev.otptoken.host.session;

import dev.otptoken.host.transport.PcscTransport;
import dev.otptoken.host.transport.SerialTransport;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/** One open token: its transport (serial or PC/SC), traced, and its two sessions. */
public final class Token implements Closeable {
    private final TokenAddress address;
    private final ApduTransport transport;
    private final TracingTransport traced;
    private final RandomGenerator random;

    private Token(TokenAddress address, ApduTransport transport, RandomGenerator random) {
        this.address = address;
        this.transport = transport;
        this.traced = new TracingTransport(transport);
        this.random = random;
    }

    public static Token open(TokenAddress address, Opener opener) throws IOException {
        return open(address, opener, new SecureRandom());
    }

    /** A token whose OATH sessions draw their challenges from {@code random} (a SecureRandom but in tests). */
    public static Token open(TokenAddress address, Opener opener, RandomGenerator random) throws IOException {
        Log.info("opening {}", address.label());
        return new Token(address, address.open(opener), random);
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

        /**
         * The serial line for a short probe ({@code otptoken devices}): no wait for a port another
         * command holds, short timeouts. By default, {@link #serial}.
         */
        default ApduTransport probe(TokenAddress.SerialPort port) throws IOException {
            return serial(port);
        }

        /** Serial devices worth probing for a token; by default none (the system's: see {@link #system()}). */
        default List<String> serialCandidates() throws IOException {
            return List.of();
        }

        /** PC/SC readers holding a card; by default none (the system's: see {@link #system()}). */
        default List<String> readersWithCard() {
            return List.of();
        }

        /**
         * The machine's own: serial ports through jssc and T=1, readers through PC/SC. Its
         * serial candidates are the {@code /dev/ttyUSB*} and {@code /dev/ttyACM*} devices.
         */
        static Opener system() {
            return new Opener() {
                @Override
                public ApduTransport serial(TokenAddress.SerialPort port) throws IOException {
                    return SerialTransport.open(port.device(), T1Timing.DEFAULT);
                }

                @Override
                public ApduTransport probe(TokenAddress.SerialPort port) throws IOException {
                    return SerialTransport.probe(port.device(), PROBE_TIMING);
                }

                @Override
                public List<String> serialCandidates() throws IOException {
                    List<String> found = new ArrayList<>();
                    Path dev = Path.of("/dev");
                    if (!Files.isDirectory(dev)) {
                        return found;
                    }
                    try (Stream<Path> entries = Files.list(dev)) {
                        entries.map(p -> p.getFileName().toString())
                                .filter(n -> n.startsWith("ttyUSB") || n.startsWith("ttyACM"))
                                .sorted()
                                .forEach(n -> found.add("/dev/" + n));
                    }
                    return found;
                }

                @Override
                public List<String> readersWithCard() {
                    return PcscTransport.readersWithCard();
                }
            };
        }
    }

    /**
     * T=1 timing of a probe: a device that does not answer the session start within about a
     * second is not a token (the default timing would try for several seconds).
     */
    static final T1Timing PROBE_TIMING = new T1Timing(Duration.ofMillis(100), Duration.ofMillis(400), 1, 2,
            Duration.ofMillis(200), 1, Duration.ofSeconds(5));

    /** A token opened for a short probe ({@link Opener#probe}, or a PC/SC reader as usual). */
    public static Token probe(TokenAddress address, Opener opener) throws IOException {
        Log.info("probing {}", address.label());
        ApduTransport transport = address instanceof TokenAddress.SerialPort port ? opener.probe(port)
                : address.open(opener);
        return new Token(address, transport, new SecureRandom());
    }

    public TokenAddress address() {
        return address;
    }

    /** The OATH session, selected and, if the token is locked, unlocked with a password from {@code passwords}. */
    public OathSession oath(PasswordSource passwords) throws IOException, ApduException, WrongPasswordException {
        return oath(passwords, AccessKeys.NONE, false);
    }

    /**
     * The OATH session, selected and, if the token is locked, unlocked: with the key {@code keys}
     * remembers for this token when there is one (a refused key is reported to
     * {@link AccessKeys#refused} and the password asked instead), else with a password from
     * {@code passwords}, whose key {@code keys} then remembers if {@code remember}.
     */
    public OathSession oath(PasswordSource passwords, AccessKeys keys, boolean remember)
            throws IOException, ApduException, WrongPasswordException {
        OathSession session = new OathSession(traced, random);
        Selection s = session.select();
        Log.info("OATH applet {} on {}{}", s.version(), address.label(), s.locked() ? " (locked)" : "");
        if (!s.locked()) {
            return session;
        }
        String id = session.deviceId();
        byte[] remembered = keys.find(id);
        if (remembered != null) {
            try {
                session.unlock(remembered);
                Log.info("unlocked {} with its remembered key", address.label());
                return session;
            } catch (WrongPasswordException refused) {
                keys.refused(id);
                // a fresh challenge for the password's VALIDATE
                session.select();
            } finally {
                SecretBytes.wipe(remembered);
            }
        }
        char[] password = passwords.read("password for the token at " + address.label() + ": ");
        if (password == null) {
            throw new PasswordRequiredException();
        }
        byte[] key = null;
        try {
            key = session.accessKey(password);
            session.unlock(key);
            if (remember) {
                keys.remember(id, key);
            }
        } finally {
            SecretBytes.wipe(password);
            SecretBytes.wipe(key);
        }
        return session;
    }

    /** An OATH session not yet selected, for commands that work on a locked token (reset, password unlock). */
    public OathSession oathSelected() {
        return new OathSession(traced, random);
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
