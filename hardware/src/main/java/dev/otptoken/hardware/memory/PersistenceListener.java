package dev.otptoken.hardware.memory;

/** Receives the raw physical image whenever it must be saved (commit, plain write, power cut). */
@FunctionalInterface
public interface PersistenceListener {
    void persist(byte[] physicalImage);
}
