package dev.otptoken.host.cli;

/** The command line asks for something impossible (exit 2), beyond what picocli checks. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
