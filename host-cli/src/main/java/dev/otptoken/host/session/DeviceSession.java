package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseChaining;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.tlv.Tlv;
import dev.otptoken.protocol.tlv.TlvWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The host side of otptoken's own device applet (docs/protocol.md, "The device applet"): info, clock, trim. */
public final class DeviceSession {
    private static final int LONG_LENGTH = 8;
    private static final int INT_LENGTH = 4;
    private static final int SHORT_LENGTH = 2;
    private static final int VERSION_LENGTH = 3;
    private static final double QUARTERS_PER_CELSIUS = 4.0;
    private static final double PPB = 1e3;
    private static final double CENTI = 100.0;
    private static final double MICRO = 1e6;

    private final ApduTransport transport;

    public DeviceSession(ApduTransport transport) {
        this.transport = new ResponseChaining(transport);
    }

    public void select() throws IOException, ApduException {
        CheckedExchange.transmit(transport, CommandApdu.select(Device.aid()));
    }

    public DeviceInfo info() throws IOException, ApduException {
        List<Tlv> t = ReplyFields.parse(send(Device.INS_GET_INFO, 0, new byte[0]));
        byte[] v = ReplyFields.require(t, Device.TAG_FIRMWARE_VERSION);
        if (v.length != VERSION_LENGTH) {
            throw new IOException("firmware version has " + v.length + " bytes");
        }
        String version = (v[0] & 0xFF) + "." + (v[1] & 0xFF) + "." + (v[2] & 0xFF);
        return new DeviceInfo(
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_SERIAL), INT_LENGTH),
                version,
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_MEMORY_USED), INT_LENGTH),
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_MEMORY_TOTAL), INT_LENGTH),
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_ACCOUNTS_USED), SHORT_LENGTH),
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_ACCOUNTS_CAPACITY), SHORT_LENGTH),
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_FEATURES), INT_LENGTH));
    }

    public ClockReading clock() throws IOException, ApduException {
        List<Tlv> t = ReplyFields.parse(send(Device.INS_GET_CLOCK, 0, new byte[0]));
        byte[] range = ReplyFields.require(t, Device.TAG_TRIM_RANGE);
        if (range.length != 2 * SHORT_LENGTH) {
            throw new IOException("trim range has " + range.length + " bytes");
        }
        ByteBuffer r = ByteBuffer.wrap(range);
        return new ClockReading(
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_TIME), LONG_LENGTH),
                (short) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_TRIM), SHORT_LENGTH),
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_TRIM_STEP_PPT), INT_LENGTH),
                r.getShort(), r.getShort(),
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_LAST_SET), LONG_LENGTH));
    }

    /** SET CLOCK to {@code time}; the token refuses (6985) to go backwards unless {@code force}. */
    public void setClock(Instant time, boolean force) throws IOException, ApduException {
        long micros = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000L);
        TlvWriter w = new TlvWriter();
        w.put(Device.TAG_TIME, ByteBuffer.allocate(LONG_LENGTH).putLong(micros).array());
        send(Device.INS_SET_CLOCK, force ? Device.P1_FORCE : 0, w.toByteArray());
    }

    /** SET TRIM, signed, in register steps. */
    public void setTrim(int trim) throws IOException, ApduException {
        if (trim < Short.MIN_VALUE || trim > Short.MAX_VALUE) {
            throw new IllegalArgumentException("trim out of range: " + trim);
        }
        TlvWriter w = new TlvWriter();
        w.put(Device.TAG_TRIM, ByteBuffer.allocate(SHORT_LENGTH).putShort((short) trim).array());
        send(Device.INS_SET_TRIM, 0, w.toByteArray());
    }

    /** The temperature sensor's reading, °C (steps of 0.25). */
    public double temperature() throws IOException, ApduException {
        List<Tlv> t = ReplyFields.parse(send(Device.INS_GET_TEMPERATURE, 0, new byte[0]));
        return (short) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_TEMPERATURE), SHORT_LENGTH)
                / QUARTERS_PER_CELSIUS;
    }

    /** The compensation curve in force, if any (rounded to the token's fixed point). */
    public Optional<CompensationCurve> compensation() throws IOException, ApduException {
        List<Tlv> t = ReplyFields.parse(send(Device.INS_GET_COMPENSATION, 0, new byte[0]));
        if (t.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CompensationCurve(
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_OFFSET_PPB), INT_LENGTH) / PPB,
                (short) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_TURNOVER), SHORT_LENGTH) / CENTI,
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_K), INT_LENGTH) / MICRO,
                (int) ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_AGING_PPB), INT_LENGTH) / PPB,
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_AGING_ORIGIN), LONG_LENGTH),
                ReplyFields.unsigned(ReplyFields.require(t, Device.TAG_CURVE_AGING_TAU), INT_LENGTH)));
    }

    /** SET COMPENSATION: writes the curve, or with none turns compensation off (the trim stays). */
    public void setCompensation(Optional<CompensationCurve> curve) throws IOException, ApduException {
        send(Device.INS_SET_COMPENSATION, 0, curve.map(DeviceSession::compensationData).orElse(new byte[0]));
    }

    /** SET COMPENSATION's data field for a curve: six TLVs in fixed point (docs/protocol.md). */
    public static byte[] compensationData(CompensationCurve c) {
        TlvWriter w = new TlvWriter();
        w.put(Device.TAG_CURVE_OFFSET_PPB, ByteBuffer.allocate(INT_LENGTH).putInt(fixed(c.offsetPpm(), PPB)).array());
        w.put(Device.TAG_CURVE_TURNOVER, ByteBuffer.allocate(SHORT_LENGTH)
                .putShort((short) fixed(c.turnoverCelsius(), CENTI)).array());
        w.put(Device.TAG_CURVE_K, ByteBuffer.allocate(INT_LENGTH).putInt(fixed(c.kPpmPerCelsius2(), MICRO)).array());
        w.put(Device.TAG_CURVE_AGING_PPB, ByteBuffer.allocate(INT_LENGTH).putInt(fixed(c.agingPpm(), PPB)).array());
        w.put(Device.TAG_CURVE_AGING_ORIGIN, ByteBuffer.allocate(LONG_LENGTH).putLong(c.agingOriginMicros()).array());
        w.put(Device.TAG_CURVE_AGING_TAU, ByteBuffer.allocate(INT_LENGTH).putInt((int) c.agingTauSeconds()).array());
        return w.toByteArray();
    }

    private static int fixed(double value, double scale) {
        return Math.toIntExact(Math.round(value * scale));
    }

    private byte[] send(int ins, int p1, byte[] data) throws IOException, ApduException {
        return CheckedExchange.transmit(transport, CommandApdu.of(Device.CLA, ins, p1, 0, data));
    }
}
