package dev.otptoken.firmware.testing;

import dev.otptoken.hardware.memory.NonVolatileMemory;
import java.util.ArrayDeque;
import java.util.Deque;

/** A RAM test double of the non-volatile memory with real transaction rollback. */
public final class RamMemory implements NonVolatileMemory {
    private final byte[] cells;
    private final Deque<byte[]> undo = new ArrayDeque<>();
    private final Deque<Integer> undoAddress = new ArrayDeque<>();
    private boolean inTx;
    private long writes;

    public RamMemory(int size) {
        cells = new byte[size];
    }

    @Override
    public int size() {
        return cells.length;
    }

    @Override
    public void read(int address, byte[] dst, int dstOff, int len) {
        System.arraycopy(cells, address, dst, dstOff, len);
    }

    @Override
    public byte readByte(int address) {
        return cells[address];
    }

    @Override
    public void beginTransaction() {
        if (inTx) {
            throw new IllegalStateException("nested");
        }
        inTx = true;
    }

    @Override
    public void write(int address, byte[] src, int srcOff, int len) {
        if (inTx) {
            byte[] old = new byte[len];
            System.arraycopy(cells, address, old, 0, len);
            undo.push(old);
            undoAddress.push(address);
        }
        System.arraycopy(src, srcOff, cells, address, len);
        writes++;
    }

    @Override
    public void commitTransaction() {
        undo.clear();
        undoAddress.clear();
        inTx = false;
    }

    @Override
    public void abortTransaction() {
        while (!undo.isEmpty()) {
            byte[] old = undo.pop();
            System.arraycopy(old, 0, cells, undoAddress.pop(), old.length);
        }
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
