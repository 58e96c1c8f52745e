package dev.otptoken.host.cli;

import java.io.IOException;

/**
 * No password where one was asked for: an empty line, or standard input at its end. A usage
 * error (exit 2), raised before the token is asked, so it never counts as a wrong guess
 * against the token's brute-force limit. An {@link IOException} because that is what reading
 * a password may throw ({@link dev.otptoken.host.session.PasswordSource}).
 */
final class EmptyPasswordException extends IOException {
    EmptyPasswordException(String message) {
        super(message);
    }
}
