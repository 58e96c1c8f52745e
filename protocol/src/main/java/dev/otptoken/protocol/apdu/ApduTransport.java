package dev.otptoken.protocol.apdu;

import java.io.Closeable;
import java.io.IOException;

/**
 * The byte seam between sessions and whatever carries APDUs (serial T=1, PC/SC, an
 * in-process card runtime). It knows only bytes, so decorators such as
 * {@link ResponseChaining} and the conformance suite work over every transport alike.
 */
@FunctionalInterface
public interface ApduTransport extends Closeable {
    /**
     * Sends one encoded command APDU and returns the encoded response (data then SW1 SW2).
     *
     * @throws IOException when the link fails; a refusal by the token is a normal response
     */
    byte[] transceive(byte[] command) throws IOException;

    /** Most transports own nothing that needs closing; those that do override this. */
    @Override
    default void close() throws IOException {
    }
}
