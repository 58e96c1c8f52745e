package dev.otptoken.host.session;

/**
 * The password did not unlock the token (VALIDATE answered 6984), or the token's answer to
 * our challenge did not prove it knows the same key (a token impersonating ours).
 */
public final class WrongPasswordException extends Exception {
    public WrongPasswordException(String message) {
        super(message);
    }
}
