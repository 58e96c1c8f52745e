package dev.otptoken.protocol.apdu;

import java.io.IOException;

/**
 * A 61xx response chain did not end within the bounds of {@link ResponseChaining}, or a
 * link in it was malformed. A transport failure, not a token refusal: a well-behaved token
 * never sends an endless chain.
 */
public class ChainingLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    public ChainingLimitException(String message) {
        super(message);
    }
}
