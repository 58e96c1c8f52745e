package dev.otptoken.firmware.testing;

import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.clock.TrimRegister;

/** A test RTC on a manually advanced true time: reading = anchor + elapsed × (1 + trim ppm). */
public final class LinearRtc implements RealTimeClock {
    private long trueMicros;
    private long anchorTrue;
    private long anchorReading;
    private int trim;

    public LinearRtc(long startMicros) {
        trueMicros = startMicros;
        anchorTrue = startMicros;
        anchorReading = startMicros;
    }

    public void advanceMicros(long micros) {
        trueMicros += micros;
    }

    public void advanceSeconds(double seconds) {
        trueMicros += Math.round(seconds * 1e6);
    }

    public long trueMicros() {
        return trueMicros;
    }

    @Override
    public long readMicros() {
        double rate = 1 + trimRegister().ppm(trim) / 1e6;
        return anchorReading + (long) Math.floor((trueMicros - anchorTrue) * rate);
    }

    @Override
    public void set(long micros) {
        anchorTrue = trueMicros;
        anchorReading = micros;
    }

    @Override
    public int trim() {
        return trim;
    }

    @Override
    public void setTrim(int steps) {
        anchorReading = readMicros();
        anchorTrue = trueMicros;
        trim = steps;
    }

    @Override
    public TrimRegister trimRegister() {
        return TrimRegister.STM32_CALR;
    }
}
