package dev.otptoken.hardware.memory;

/** A state file was refused (corrupt, truncated, foreign, wrong version) or could not be read. */
public final class StateFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public StateFileException(String message) {
        super(message);
    }

    public StateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
