package dev.otptoken.firmware.oath;

import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.clock.TrimRegister;

/** A settable clock that stands still between {@link #set} calls. */
final class FakeRtc implements RealTimeClock {
    private long micros;
    private int trim;

    @Override
    public long readMicros() {
        return micros;
    }

    @Override
    public void set(long micros) {
        this.micros = micros;
    }

    @Override
    public int trim() {
        return trim;
    }

    @Override
    public void setTrim(int steps) {
        trim = steps;
    }

    @Override
    public TrimRegister trimRegister() {
        return TrimRegister.STM32_CALR;
    }
}
