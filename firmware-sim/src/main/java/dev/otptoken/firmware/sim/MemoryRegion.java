package dev.otptoken.firmware.sim;

import dev.otptoken.hardware.memory.NonVolatileMemory;
import java.util.Objects;

/**
 * A window {@code [base, base + size)} of the token's one persistent memory, so each applet
 * addresses its own area from 0. Transactions are the memory's: one transaction covers
 * writes to any region, as on a Java Card where all applets share the commit buffer.
 */
final class MemoryRegion implements NonVolatileMemory {
    private final NonVolatileMemory memory;
    private final int base;
    private final int size;

    MemoryRegion(NonVolatileMemory memory, int base, int size) {
        this.memory = Objects.requireNonNull(memory);
        if (base < 0 || size < 0 || base + size > memory.size()) {
            throw new IllegalArgumentException("region outside the memory");
        }
        this.base = base;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void read(int address, byte[] dst, int dstOff, int len) {
        check(address, len);
        memory.read(base + address, dst, dstOff, len);
    }

    @Override
    public byte readByte(int address) {
        check(address, 1);
        return memory.readByte(base + address);
    }

    @Override
    public void beginTransaction() {
        memory.beginTransaction();
    }

    @Override
    public void write(int address, byte[] src, int srcOff, int len) {
        check(address, len);
        memory.write(base + address, src, srcOff, len);
    }

    @Override
    public void commitTransaction() {
        memory.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        memory.abortTransaction();
    }

    @Override
    public boolean inTransaction() {
        return memory.inTransaction();
    }

    @Override
    public long writeCount() {
        return memory.writeCount();
    }

    private void check(int address, int len) {
        if (address < 0 || len < 0 || address > size - len) {
            throw new IndexOutOfBoundsException("address " + address + "+" + len + " outside a region of " + size);
        }
    }
}
