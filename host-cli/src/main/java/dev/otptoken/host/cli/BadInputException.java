package dev.otptoken.host.cli;

/** Input the user gave is unusable (exit 3): an unknown account name, a bad new name. */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
