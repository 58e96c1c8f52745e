package dev.otptoken.firmware.device;

import static dev.otptoken.firmware.device.DeviceState.put;

import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.tlv.TlvCursor;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The device applet's commands (docs/protocol.md): one {@code switch} on
 * INS, each case checking P1/P2 and the data length, replies as BER-TLV written into a
 * caller's buffer (nothing is allocated per command).
 */
public final class DeviceCommands {
    /** Longest reply (GET COMPENSATION): 7 TLVs. */
    public static final int MAX_REPLY = 6 + 4 + 6 + 6 + 10 + 6 + 4;

    private static final long PPT_PER_PPM = 1_000_000L;
    private static final int LEN_TIME = 8;
    private static final int LEN_TRIM = 2;
    private static final int LEN_TEMPERATURE = 2;
    /** SET COMPENSATION's data: six TLVs in the order of the tags. */
    private static final int[] CURVE_TAGS = {Device.TAG_CURVE_OFFSET_PPB, Device.TAG_CURVE_TURNOVER, Device.TAG_CURVE_K,
        Device.TAG_CURVE_AGING_PPB, Device.TAG_CURVE_AGING_ORIGIN, Device.TAG_CURVE_AGING_TAU};
    private static final int[] CURVE_LENGTHS = {4, 2, 4, 4, 8, 4};
    private static final int CURVE_DATA_LENGTH = 6 * 2 + 4 + 2 + 4 + 4 + 8 + 4;
    private final long[] curveValues = new long[CURVE_TAGS.length];

    private final DeviceState state;
    private final CompensationRecord curveRecord;
    private final ClockCompensation compensation;
    private final RealTimeClock rtc;
    private final LongSupplier trueMicros;
    private final CapacityReport capacity;
    private final int features;
    private final TlvCursor cursor = new TlvCursor();

    /**
     * @param trueMicros true time (the simulator's time source), to re-anchor the RTC record
     *                   when the clock or its trim changes
     * @param curveRecord  where the compensation curve is kept
     * @param compensation the firmware's compensation, running on {@code rtc} and the sensor
     * @param features   FEATURE_* flags this token has
     */
    public DeviceCommands(DeviceState state, CompensationRecord curveRecord, ClockCompensation compensation,
                          RealTimeClock rtc, LongSupplier trueMicros, CapacityReport capacity, int features) {
        this.state = Objects.requireNonNull(state);
        this.curveRecord = Objects.requireNonNull(curveRecord);
        this.compensation = Objects.requireNonNull(compensation);
        this.rtc = Objects.requireNonNull(rtc);
        this.trueMicros = Objects.requireNonNull(trueMicros);
        this.capacity = Objects.requireNonNull(capacity);
        this.features = features;
    }

    /**
     * Processes one command (CLA, INS, P1, P2 and its data field) and writes the reply data
     * into {@code out} from offset 0.
     *
     * @return the reply length (the status word 9000 follows)
     * @throws CommandRefused with the status word of a refusal
     */
    public int process(int cla, int ins, int p1, int p2, byte[] data, int dataOff, int dataLen, byte[] out)
            throws CommandRefused {
        if (cla != Device.CLA) {
            throw new CommandRefused(StatusWord.CLA_NOT_SUPPORTED);
        }
        switch (ins) {
            case Device.INS_GET_INFO:
                requireP1P2(p1 == 0 && p2 == 0);
                requireNoData(dataLen);
                return getInfo(out);
            case Device.INS_GET_CLOCK:
                requireP1P2(p1 == 0 && p2 == 0);
                requireNoData(dataLen);
                return getClock(out);
            case Device.INS_SET_CLOCK:
                requireP1P2((p1 == 0 || p1 == Device.P1_FORCE) && p2 == 0);
                setClock(p1 == Device.P1_FORCE, data, dataOff, dataLen);
                return 0;
            case Device.INS_SET_TRIM:
                requireP1P2(p1 == 0 && p2 == 0);
                setTrim(data, dataOff, dataLen);
                return 0;
            case Device.INS_GET_COMPENSATION:
                requireP1P2(p1 == 0 && p2 == 0);
                requireNoData(dataLen);
                return getCompensation(out);
            case Device.INS_SET_COMPENSATION:
                requireP1P2(p1 == 0 && p2 == 0);
                setCompensation(data, dataOff, dataLen);
                return 0;
            case Device.INS_GET_TEMPERATURE:
                requireP1P2(p1 == 0 && p2 == 0);
                requireNoData(dataLen);
                return tlv(out, 0, Device.TAG_TEMPERATURE, compensation.temperatureQuarters(), LEN_TEMPERATURE);
            case Device.INS_GET_DISPLAY:
                requireP1P2(p1 == 0 && p2 == 0);
                requireNoData(dataLen);
                return getDisplay(out);
            case Device.INS_SET_DISPLAY:
                requireP1P2(p1 == 0 && p2 == 0);
                setDisplay(data, dataOff, dataLen);
                return 0;
            default:
                throw new CommandRefused(StatusWord.INS_NOT_SUPPORTED);
        }
    }

    private int getInfo(byte[] out) {
        int n = tlv(out, 0, Device.TAG_SERIAL, state.serial(), 4);
        out[n++] = (byte) Device.TAG_FIRMWARE_VERSION;
        out[n++] = 3;
        out[n++] = (byte) Oath.VERSION_MAJOR;
        out[n++] = (byte) Oath.VERSION_MINOR;
        out[n++] = (byte) Oath.VERSION_PATCH;
        n = tlv(out, n, Device.TAG_MEMORY_USED, capacity.bytesUsed(), 4);
        n = tlv(out, n, Device.TAG_MEMORY_TOTAL, capacity.bytesTotal(), 4);
        n = tlv(out, n, Device.TAG_ACCOUNTS_USED, capacity.accountsUsed(), 2);
        n = tlv(out, n, Device.TAG_ACCOUNTS_CAPACITY, capacity.accountsCapacity(), 2);
        return tlv(out, n, Device.TAG_FEATURES, features, 4);
    }

    private int getClock(byte[] out) {
        TrimRegister reg = rtc.trimRegister();
        int n = tlv(out, 0, Device.TAG_TIME, rtc.readMicros(), LEN_TIME);
        n = tlv(out, n, Device.TAG_TRIM, rtc.trim(), LEN_TRIM);
        n = tlv(out, n, Device.TAG_TRIM_STEP_PPT, Math.round(reg.stepPpm() * PPT_PER_PPM), 4);
        out[n++] = (byte) Device.TAG_TRIM_RANGE;
        out[n++] = 4;
        n = put(out, n, reg.min(), 2);
        n = put(out, n, reg.max(), 2);
        return tlv(out, n, Device.TAG_LAST_SET, state.lastSetMicros(), LEN_TIME);
    }

    private void setClock(boolean force, byte[] data, int off, int len) throws CommandRefused {
        long micros = singleValue(data, off, len, Device.TAG_TIME, LEN_TIME);
        if (!force && micros < rtc.readMicros()) {
            throw new CommandRefused(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        long now = trueMicros.getAsLong();
        state.clockSet(now, micros);
        compensation.clockSet(micros);
        rtc.set(micros);
    }

    private void setTrim(byte[] data, int off, int len) throws CommandRefused {
        int steps = (short) singleValue(data, off, len, Device.TAG_TRIM, LEN_TRIM);
        TrimRegister reg = rtc.trimRegister();
        if (steps < reg.min() || steps > reg.max()) {
            throw new CommandRefused(StatusWord.WRONG_DATA);
        }
        long now = trueMicros.getAsLong();
        long reading = rtc.readMicros();
        // A trim set by hand replaces the compensation: both change in one transaction.
        boolean compensating = compensation.curve().isPresent();
        boolean own = state.begin();
        if (compensating) {
            curveRecord.write(null);
        }
        state.trimSet(now, reading, steps);
        state.commit(own);
        if (compensating) {
            compensation.start(null);
        }
        rtc.setTrim(steps);
    }

    private int getCompensation(byte[] out) {
        var c = compensation.curve();
        if (c.isEmpty()) {
            return 0;
        }
        CompensationCurve v = c.get();
        int n = tlv(out, 0, Device.TAG_CURVE_OFFSET_PPB, v.offsetPpb(), 4);
        n = tlv(out, n, Device.TAG_CURVE_TURNOVER, v.turnoverCenti(), 2);
        n = tlv(out, n, Device.TAG_CURVE_K, v.kMicro(), 4);
        n = tlv(out, n, Device.TAG_CURVE_AGING_PPB, v.agingPpb(), 4);
        n = tlv(out, n, Device.TAG_CURVE_AGING_ORIGIN, v.originMicros(), 8);
        n = tlv(out, n, Device.TAG_CURVE_AGING_TAU, v.tauSeconds(), 4);
        return tlv(out, n, Device.TAG_CURVE_INTERVAL, ClockCompensation.INTERVAL_SECONDS, 2);
    }

    /**
     * Six TLVs in tag order, each of its exact length (6700 otherwise; 6A80 for a wrong tag or
     * a value out of range), or no data: compensation off, the trim left where it is. The
     * curve, the RTC's anchor and the first trim are one transaction.
     */
    private void setCompensation(byte[] data, int off, int len) throws CommandRefused {
        CompensationCurve c = null;
        if (len != 0) {
            if (len != CURVE_DATA_LENGTH) {
                throw new CommandRefused(StatusWord.WRONG_LENGTH);
            }
            int p = off;
            for (int i = 0; i < CURVE_TAGS.length; i++) {
                if ((data[p] & 0xFF) != CURVE_TAGS[i]) {
                    throw new CommandRefused(StatusWord.WRONG_DATA);
                }
                if ((data[p + 1] & 0xFF) != CURVE_LENGTHS[i]) {
                    throw new CommandRefused(StatusWord.WRONG_LENGTH);
                }
                long v = 0;
                for (int j = 0; j < CURVE_LENGTHS[i]; j++) {
                    v = (v << Byte.SIZE) | (data[p + 2 + j] & 0xFF);
                }
                curveValues[i] = v;
                p += 2 + CURVE_LENGTHS[i];
            }
            c = new CompensationCurve((int) curveValues[0], (short) curveValues[1], (int) curveValues[2],
                    (int) curveValues[3], curveValues[4], curveValues[5]);
            if (!c.valid()) {
                throw new CommandRefused(StatusWord.WRONG_DATA);
            }
        }
        int trim = c == null ? rtc.trim() : compensation.firstTrim(c);
        long now = trueMicros.getAsLong();
        long reading = rtc.readMicros();
        boolean own = state.begin();
        curveRecord.write(c);
        state.trimSet(now, reading, trim);
        state.commit(own);
        rtc.setTrim(trim);
        compensation.start(c);
    }

    private int getDisplay(byte[] out) {
        int n = tlv(out, 0, Device.TAG_DISPLAY_ACCOUNT, state.selectedAccount(), 1);
        return tlv(out, n, Device.TAG_DISPLAY_TIMEOUT, state.timeoutSeconds(), 2);
    }

    /** Either TLV may be left out (that setting is kept); each at most once. */
    private void setDisplay(byte[] data, int off, int len) throws CommandRefused {
        if (len == 0) {
            throw new CommandRefused(StatusWord.WRONG_LENGTH);
        }
        int account = -1;
        int timeout = -1;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < 2) {
                throw new CommandRefused(StatusWord.WRONG_LENGTH);
            }
            int tag = data[p] & 0xFF;
            int l = data[p + 1] & 0xFF;
            if (end - p - 2 < l) {
                throw new CommandRefused(StatusWord.WRONG_LENGTH);
            }
            if (tag == Device.TAG_DISPLAY_ACCOUNT && account < 0) {
                if (l != 1) {
                    throw new CommandRefused(StatusWord.WRONG_LENGTH);
                }
                account = data[p + 2] & 0xFF;
            } else if (tag == Device.TAG_DISPLAY_TIMEOUT && timeout < 0) {
                if (l != 2) {
                    throw new CommandRefused(StatusWord.WRONG_LENGTH);
                }
                timeout = ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
            } else {
                throw new CommandRefused(StatusWord.WRONG_DATA);
            }
            p += 2 + l;
        }
        if (account < 0) {
            account = state.selectedAccount();
        } else if (account != 0 && account >= capacity.accountsUsed()) {
            throw new CommandRefused(StatusWord.WRONG_DATA);
        }
        if (timeout < 0) {
            timeout = state.timeoutSeconds();
        } else if (!DeviceState.validTimeout(timeout)) {
            throw new CommandRefused(StatusWord.WRONG_DATA);
        }
        state.setDisplay(account, timeout);
    }

    /** Parses a data field that must be exactly one TLV {@code tag len value} (6A80 wrong tag, 6700 wrong size). */
    private long singleValue(byte[] data, int off, int len, int tag, int valueLen) throws CommandRefused {
        if (len != 2 + valueLen) {
            throw new CommandRefused(StatusWord.WRONG_LENGTH);
        }
        if (cursor.reset(data, off, len).peekTag() != tag) {
            throw new CommandRefused(StatusWord.WRONG_DATA);
        }
        if (!cursor.next() || cursor.valueLength() != valueLen || cursor.hasRemaining()) {
            throw new CommandRefused(StatusWord.WRONG_LENGTH);
        }
        long v = 0;
        for (int i = 0; i < valueLen; i++) {
            v = (v << Byte.SIZE) | (data[cursor.valueOffset() + i] & 0xFF);
        }
        return v;
    }

    private static void requireP1P2(boolean ok) throws CommandRefused {
        if (!ok) {
            throw new CommandRefused(StatusWord.INCORRECT_P1P2);
        }
    }

    private static void requireNoData(int len) throws CommandRefused {
        if (len != 0) {
            throw new CommandRefused(StatusWord.WRONG_LENGTH);
        }
    }

    private static int tlv(byte[] out, int off, int tag, long value, int len) {
        out[off] = (byte) tag;
        out[off + 1] = (byte) len;
        return put(out, off + 2, value, len);
    }
}
