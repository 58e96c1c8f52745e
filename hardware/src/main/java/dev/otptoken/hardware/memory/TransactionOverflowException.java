package dev.otptoken.hardware.memory;

/** A transaction wrote more than the journal holds; it has been aborted. */
public final class TransactionOverflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransactionOverflowException(String message) {
        super(message);
    }
}
