package dev.otptoken.firmware.device;

import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.firmware.ui.DisplaySettings;
import dev.otptoken.hardware.memory.NonVolatileMemory;

/**
 * The device applet's persistent record in the token's non-volatile memory: serial number,
 * the RTC's anchor and trim (so a restarted token continues as a battery-backed RTC would),
 * the last SET CLOCK, and the display settings.
 *
 * <p>Layout at {@code base} (big-endian): magic {@code 44 31} ("D1"), serial (4), anchor
 * true time µs (8), anchor RTC reading µs (8), trim (2, signed), last set µs (8), display
 * account (1), display timeout s (2). Every update is one memory transaction, so a power
 * cut leaves the old record or the new one.
 */
public final class DeviceState implements DisplaySettings {
    /** Bytes the record occupies. */
    public static final int SIZE = 35;

    private static final int MAGIC = 0x4431;
    /** The magic is 'D' and the layout version as a digit. */
    private static final int MAGIC_LETTER = 0x44;
    private static final int MAGIC_VERSION = '1';
    private static final int OFF_MAGIC = 0;
    private static final int OFF_SERIAL = 2;
    private static final int OFF_ANCHOR_TRUE = 6;
    private static final int OFF_ANCHOR_RTC = 14;
    private static final int OFF_TRIM = 22;
    private static final int OFF_LAST_SET = 24;
    private static final int OFF_DISPLAY_ACCOUNT = 32;
    private static final int OFF_DISPLAY_TIMEOUT = 33;

    /** The display timeouts SET DISPLAY accepts (seconds; 0 = until the period ends). */
    private static final int[] TIMEOUTS = {UNTIL_PERIOD_END, 15, 30, 60, 120};
    /** Timeout of a fresh token. */
    public static final int DEFAULT_TIMEOUT = 30;

    private final NonVolatileMemory memory;
    private final int base;
    private final byte[] scratch = new byte[SIZE];

    /** @param base address of the record; {@link #SIZE} bytes from it belong to this record */
    public DeviceState(NonVolatileMemory memory, int base) {
        if (base < 0 || base + SIZE > memory.size()) {
            throw new IllegalArgumentException("record does not fit at " + base);
        }
        this.memory = memory;
        this.base = base;
    }

    /** Whether the record was written (a fresh memory reads all zero). */
    public synchronized boolean formatted() {
        return readU16(OFF_MAGIC) == MAGIC;
    }

    /**
     * What the record at {@code base} holds: a record of this layout ({@code true}) or nothing
     * yet ({@code false}: all {@link #SIZE} bytes zero).
     *
     * @throws CorruptRegionException anything else (a damaged magic, a layout version this
     *         firmware does not know): never formatted, it would lose the serial and the clock
     */
    public static boolean inspect(NonVolatileMemory memory, int base) throws CorruptRegionException {
        int letter = memory.readByte(base + OFF_MAGIC) & 0xFF;
        int version = memory.readByte(base + OFF_MAGIC + 1) & 0xFF;
        if ((letter << 8 | version) == MAGIC) {
            return true;
        }
        if (CorruptRegionException.empty(memory, base, SIZE)) {
            return false;
        }
        if (letter == MAGIC_LETTER && Character.isDigit(version)) {
            throw new CorruptRegionException("the device applet's record has layout version " + (char) version
                    + ", this firmware knows version " + (char) MAGIC_VERSION);
        }
        throw new CorruptRegionException("the device applet's record is damaged (magic "
                + CorruptRegionException.hex(new byte[] {(byte) letter, (byte) version}) + ", expected "
                + CorruptRegionException.hex(new byte[] {(byte) MAGIC_LETTER, (byte) MAGIC_VERSION}) + ")");
    }

    /** Writes a fresh record: a new token out of the factory. */
    public synchronized void format(long serial, long anchorTrueMicros, long anchorRtcMicros, int trim) {
        if (serial < 0 || serial > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serial out of range");
        }
        int n = 0;
        n = put(scratch, n, MAGIC, 2);
        n = put(scratch, n, serial, 4);
        n = put(scratch, n, anchorTrueMicros, 8);
        n = put(scratch, n, anchorRtcMicros, 8);
        n = put(scratch, n, trim, 2);
        n = put(scratch, n, 0, 8);
        n = put(scratch, n, 0, 1);
        put(scratch, n, DEFAULT_TIMEOUT, 2);
        // The magic goes last: a record without it is "not formatted", whatever else landed.
        boolean own = begin();
        memory.write(base + OFF_SERIAL, scratch, OFF_SERIAL, SIZE - OFF_SERIAL);
        memory.write(base + OFF_MAGIC, scratch, OFF_MAGIC, 2);
        commit(own);
    }

    public synchronized long serial() {
        return readU32(OFF_SERIAL);
    }

    public synchronized long anchorTrueMicros() {
        return readLong(OFF_ANCHOR_TRUE);
    }

    public synchronized long anchorRtcMicros() {
        return readLong(OFF_ANCHOR_RTC);
    }

    public synchronized int trim() {
        return (short) readU16(OFF_TRIM);
    }

    /** The RTC reading at the last SET CLOCK, 0 when never set. */
    public synchronized long lastSetMicros() {
        return readLong(OFF_LAST_SET);
    }

    /** After SET CLOCK: the new anchor and the last-set reading, in one transaction. */
    public synchronized void clockSet(long trueMicros, long rtcMicros) {
        int n = put(scratch, 0, trueMicros, 8);
        put(scratch, n, rtcMicros, 8);
        put(scratch, 16, rtcMicros, 8);
        boolean own = begin();
        memory.write(base + OFF_ANCHOR_TRUE, scratch, 0, 16);
        memory.write(base + OFF_LAST_SET, scratch, 16, 8);
        commit(own);
    }

    /** After SET TRIM: the RTC re-anchored where the new rate starts, and the trim. */
    public synchronized void trimSet(long trueMicros, long rtcMicros, int trim) {
        int n = put(scratch, 0, trueMicros, 8);
        n = put(scratch, n, rtcMicros, 8);
        put(scratch, n, trim, 2);
        boolean own = begin();
        memory.write(base + OFF_ANCHOR_TRUE, scratch, 0, 18);
        commit(own);
    }

    @Override
    public synchronized int selectedAccount() {
        return memory.readByte(base + OFF_DISPLAY_ACCOUNT) & 0xFF;
    }

    @Override
    public synchronized void selectAccount(int index) {
        setDisplay(index, timeoutSeconds());
    }

    @Override
    public synchronized int timeoutSeconds() {
        return readU16(OFF_DISPLAY_TIMEOUT);
    }

    /** Writes both display settings in one transaction. */
    public synchronized void setDisplay(int account, int timeoutSeconds) {
        if (account < 0 || account > 0xFF || !validTimeout(timeoutSeconds)) {
            throw new IllegalArgumentException("display setting out of range");
        }
        int n = put(scratch, 0, account, 1);
        put(scratch, n, timeoutSeconds, 2);
        boolean own = begin();
        memory.write(base + OFF_DISPLAY_ACCOUNT, scratch, 0, 3);
        commit(own);
    }

    /** Whether SET DISPLAY accepts this timeout. */
    public static boolean validTimeout(int seconds) {
        for (int t : TIMEOUTS) {
            if (t == seconds) {
                return true;
            }
        }
        return false;
    }

    /** Opens a transaction unless one is open; true when the caller must {@link #commit} it. */
    boolean begin() {
        if (memory.inTransaction()) {
            return false;
        }
        memory.beginTransaction();
        return true;
    }

    void commit(boolean own) {
        if (own) {
            memory.commitTransaction();
        }
    }

    private long readLong(int off) {
        memory.read(base + off, scratch, 0, 8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (scratch[i] & 0xFF);
        }
        return v;
    }

    private long readU32(int off) {
        memory.read(base + off, scratch, 0, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (scratch[i] & 0xFF);
        }
        return v;
    }

    private int readU16(int off) {
        return ((memory.readByte(base + off) & 0xFF) << 8) | (memory.readByte(base + off + 1) & 0xFF);
    }

    /** Writes the low {@code len} bytes of {@code v} big-endian at {@code off}; returns the end. */
    static int put(byte[] buf, int off, long v, int len) {
        for (int i = len - 1; i >= 0; i--) {
            buf[off + i] = (byte) v;
            v >>= 8;
        }
        return off + len;
    }
}
