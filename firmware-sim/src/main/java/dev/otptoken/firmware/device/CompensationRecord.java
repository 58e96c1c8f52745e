package dev.otptoken.firmware.device;

import static dev.otptoken.firmware.device.DeviceState.put;

import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import java.util.Optional;

/**
 * The compensation curve in the token's non-volatile memory (docs/protocol.md,
 * "Persistence"). Layout at {@code base} (big-endian): magic {@code 43 31} ("C1"), offset
 * ppb (4), turnover 0.01 °C (2), k 10⁻⁶ ppm/°C² (4), α ppb (4), aging origin µs (8), τ s
 * (4). All zero: no curve. Written only inside a transaction the caller opened, so the
 * curve and the RTC's anchor and trim ({@link DeviceState}) change together.
 */
public final class CompensationRecord {
    /** Bytes the record occupies. */
    public static final int SIZE = 28;
    private static final int MAGIC = 0x4331;
    private static final byte[] MAGIC_BYTES = {0x43, 0x31};

    private final NonVolatileMemory memory;
    private final int base;
    private final byte[] scratch = new byte[SIZE];

    public CompensationRecord(NonVolatileMemory memory, int base) {
        if (base < 0 || base + SIZE > memory.size()) {
            throw new IllegalArgumentException("record does not fit at " + base);
        }
        this.memory = memory;
        this.base = base;
    }

    /**
     * Checks the record before the token uses it: a curve, nothing (all zero), or a refusal.
     *
     * @throws CorruptRegionException a damaged magic or values the token never accepts
     */
    public static void inspect(NonVolatileMemory memory, int base) throws CorruptRegionException {
        if (CorruptRegionException.empty(memory, base, SIZE)) {
            return;
        }
        CompensationRecord r = new CompensationRecord(memory, base);
        int magic = ((memory.readByte(base) & 0xFF) << 8) | (memory.readByte(base + 1) & 0xFF);
        if (magic != MAGIC) {
            byte[] m = {memory.readByte(base), memory.readByte(base + 1)};
            throw new CorruptRegionException("the compensation curve's record is damaged (magic "
                    + CorruptRegionException.hex(m) + ", expected " + CorruptRegionException.hex(MAGIC_BYTES) + ")");
        }
        if (!r.curve().map(CompensationCurve::valid).orElse(false)) {
            throw new CorruptRegionException("the compensation curve's record holds values out of range");
        }
    }

    /** The curve, or empty when none is written. */
    public synchronized Optional<CompensationCurve> curve() {
        memory.read(base, scratch, 0, SIZE);
        if ((((scratch[0] & 0xFF) << 8) | (scratch[1] & 0xFF)) != MAGIC) {
            return Optional.empty();
        }
        return Optional.of(new CompensationCurve((int) get(2, 4), (short) get(6, 2), (int) get(8, 4),
                (int) get(12, 4), get(16, 8), get(24, 4) & 0xFFFF_FFFFL));
    }

    /** Writes a curve, or clears the record ({@code null}); the caller holds a transaction. */
    synchronized void write(CompensationCurve c) {
        if (!memory.inTransaction()) {
            throw new IllegalStateException("the curve is written with the clock state, in one transaction");
        }
        if (c == null) {
            java.util.Arrays.fill(scratch, (byte) 0);
        } else {
            int n = put(scratch, 0, MAGIC, 2);
            n = put(scratch, n, c.offsetPpb(), 4);
            n = put(scratch, n, c.turnoverCenti(), 2);
            n = put(scratch, n, c.kMicro(), 4);
            n = put(scratch, n, c.agingPpb(), 4);
            n = put(scratch, n, c.originMicros(), 8);
            put(scratch, n, c.tauSeconds(), 4);
        }
        memory.write(base, scratch, 0, SIZE);
    }

    private long get(int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (scratch[off + i] & 0xFF);
        }
        return v;
    }
}
