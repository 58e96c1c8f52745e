package dev.otptoken.host.cli;

import dev.otptoken.protocol.apdu.ApduException;

/**
 * The token refused (exit 5), and what its status word means here is known: the message says
 * it in words and names the status word, in place of the generic description.
 */
final class RefusedException extends Exception {
    RefusedException(String message, ApduException cause) {
        super(message + String.format(java.util.Locale.ROOT, " (%04X)", cause.statusWord()), cause);
    }
}
