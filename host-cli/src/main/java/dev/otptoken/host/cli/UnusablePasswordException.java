package dev.otptoken.host.cli;

import java.io.IOException;

/**
 * No usable password where one was asked for: an empty line, standard input at its end, or
 * characters typed that the terminal's character set could not read (a C locale). A usage
 * error (exit 2), raised before the token is asked, so it never counts as a wrong guess
 * against the token's brute-force limit. An {@link IOException} because that is what reading
 * a password may throw ({@link dev.otptoken.host.session.PasswordSource}).
 */
final class UnusablePasswordException extends IOException {
    UnusablePasswordException(String message) {
        super(message);
    }
}
