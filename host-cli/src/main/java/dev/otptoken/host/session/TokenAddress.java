package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.IOException;
import java.util.Objects;

/**
 * Where a token is: on a serial port ({@code --port}, {@code --backup}) or in a PC/SC reader
 * ({@code --reader}). Each kind is opened its own way ({@link #open}); messages and reports
 * show {@link #label()}, the name as the user gave it.
 */
public sealed interface TokenAddress permits TokenAddress.SerialPort, TokenAddress.PcscReader {

    /** The device path or the reader name, as given: what messages and reports show. */
    String label();

    /** Opens the transport this kind of address needs, through {@code opener}. */
    ApduTransport open(Token.Opener opener) throws IOException;

    /** A serial device such as {@code /dev/ttyACM0} or a simulator's {@code /dev/pts/N}. */
    record SerialPort(String device) implements TokenAddress {
        public SerialPort {
            Objects.requireNonNull(device, "device");
        }

        @Override
        public String label() {
            return device;
        }

        @Override
        public ApduTransport open(Token.Opener opener) throws IOException {
            return opener.serial(this);
        }

        @Override
        public String toString() {
            return device;
        }
    }

    /** A PC/SC reader: its exact name, or a part matching exactly one reader (docs/otptoken-cli.md). */
    record PcscReader(String name) implements TokenAddress {
        public PcscReader {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String label() {
            return name;
        }

        @Override
        public ApduTransport open(Token.Opener opener) throws IOException {
            return opener.pcsc(this);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
