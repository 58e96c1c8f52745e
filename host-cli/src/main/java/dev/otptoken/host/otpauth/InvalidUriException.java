package dev.otptoken.host.otpauth;

/**
 * An otpauth or otpauth-migration URI (or QR text) that cannot be provisioned. The message
 * is one readable line for the user; it may name an account or a parameter but never
 * contains the secret or the whole URI, which count as secrets.
 */
public final class InvalidUriException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidUriException(String message) {
        super(message);
    }
}
