package dev.otptoken.host.otpauth;

/** Text that is not Base32. The message names the problem, never the text, since it is usually a key. */
public final class InvalidBase32Exception extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidBase32Exception(String message) {
        super(message);
    }
}
