package dev.otptoken.firmware.oath;

import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.hardware.memory.PowerLossError;

/**
 * Test double: a RAM memory with real transaction semantics, modelled simply — writes of
 * a transaction go to a working image and reach the durable image only at commit (the
 * commit counts as one more write, so a cut "at the commit" loses the transaction).
 * A power cut is injected after N writes; {@link #recover()} is the next power-up.
 */
public final class RamMemory implements NonVolatileMemory {
    private final byte[] durable;
    private final byte[] working;
    private boolean inTx;
    private long writes;
    private long cutAfter = -1;

    public RamMemory(int size) {
        durable = new byte[size];
        working = new byte[size];
    }

    /** Cut the power when a write is attempted after {@code n} more writes (-1: never). */
    public void cutAfter(long n) {
        cutAfter = n < 0 ? -1 : writes + n;
    }

    /** Power-up after a cut: the uncommitted transaction is discarded. */
    public void recover() {
        System.arraycopy(durable, 0, working, 0, durable.length);
        inTx = false;
        cutAfter = -1;
    }

    private void tick() {
        if (cutAfter >= 0 && writes >= cutAfter) {
            throw new PowerLossError("power cut after write " + writes);
        }
        writes++;
    }

    @Override
    public int size() {
        return durable.length;
    }

    @Override
    public void read(int address, byte[] dst, int dstOff, int len) {
        System.arraycopy(working, address, dst, dstOff, len);
    }

    @Override
    public byte readByte(int address) {
        return working[address];
    }

    @Override
    public void beginTransaction() {
        if (inTx) {
            throw new IllegalStateException("nested transaction");
        }
        inTx = true;
    }

    @Override
    public void write(int address, byte[] src, int srcOff, int len) {
        tick();
        System.arraycopy(src, srcOff, working, address, len);
        if (!inTx) {
            System.arraycopy(src, srcOff, durable, address, len);
        }
    }

    @Override
    public void commitTransaction() {
        if (!inTx) {
            throw new IllegalStateException("no transaction");
        }
        tick();
        System.arraycopy(working, 0, durable, 0, durable.length);
        inTx = false;
    }

    @Override
    public void abortTransaction() {
        if (!inTx) {
            throw new IllegalStateException("no transaction");
        }
        System.arraycopy(durable, 0, working, 0, durable.length);
        inTx = false;
    }

    @Override
    public boolean inTransaction() {
        return inTx;
    }

    @Override
    public long writeCount() {
        return writes;
    }
}
