package dev.otptoken.hardware.memory;

import java.io.IOException;

/**
 * Receives the raw physical image whenever it must be saved (commit, plain write, power cut).
 * A save that fails throws: the memory then undoes the transaction it was committing and
 * reports a {@link MemoryFailureException}, so that what it holds and what was saved agree.
 */
@FunctionalInterface
public interface PersistenceListener {
    void persist(byte[] physicalImage) throws IOException;
}
