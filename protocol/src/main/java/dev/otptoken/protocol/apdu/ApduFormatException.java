package dev.otptoken.protocol.apdu;

/**
 * Bytes that are not a well-formed APDU. Thrown for outside input, so it is checked; the
 * message says what is wrong and never contains the bytes, which may carry a key.
 */
public class ApduFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApduFormatException(String message) {
        super(message);
    }
}
