package dev.otptoken.hardware.memory;

/**
 * The memory could not make a write durable (its image could not be saved: a full disk, a
 * read-only file system, a missing directory). The transaction being committed has been
 * rolled back, so the memory holds exactly what was last saved. A card answers such a
 * failure with the status word 6581 (memory failure), as a chip whose EEPROM write fails.
 */
public final class MemoryFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
