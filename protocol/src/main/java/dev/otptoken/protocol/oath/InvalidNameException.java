package dev.otptoken.protocol.oath;

/**
 * An account name the token cannot hold (too long, empty, or one that would read back as a
 * different name). Checked because names come from users and QR codes; the message is one
 * readable line and may quote the name, which is not a secret.
 */
public final class InvalidNameException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(String message) {
        super(message);
    }
}
