package dev.otptoken.hardware.memory;

/**
 * A fixed-size, byte-addressed persistent memory with Java Card–style transactions.
 *
 * <p>Every write is a physical write: it is counted, it wears its cells, and it may be the
 * one after which the power is cut ({@link PowerLossError}). Writes made between
 * {@link #beginTransaction()} and {@link #commitTransaction()} become visible to readers
 * at once but are durable only as a whole: after a power cut, the next power-up either
 * applies every one of them or none. A write outside a transaction is atomic by itself.
 */
public interface NonVolatileMemory {

    /** The capacity in bytes available to applets (the journal is not part of it). */
    int size();

    /** Reads {@code len} bytes at {@code address}; sees the writes of an open transaction. */
    void read(int address, byte[] dst, int dstOff, int len);

    /** Reads one byte. */
    byte readByte(int address);

    /** Opens a transaction. Nested transactions are a programming error. */
    void beginTransaction();

    /** Writes {@code len} bytes at {@code address}. */
    void write(int address, byte[] src, int srcOff, int len);

    /** Makes every write of the open transaction durable, all at once. */
    void commitTransaction();

    /** Undoes every write of the open transaction. */
    void abortTransaction();

    /** Whether a transaction is open. */
    boolean inTransaction();

    /** Physical writes performed since power-up (journal writes included). */
    long writeCount();
}
