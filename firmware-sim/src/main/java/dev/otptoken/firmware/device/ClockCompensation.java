package dev.otptoken.firmware.device;

import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.clock.TrimRegister;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The firmware's temperature and aging compensation (docs/calibration.md, "Temperature
 * compensation"): every {@link #INTERVAL_SECONDS} seconds of its own clock (the RTC's
 * wakeup alarm) the token reads its temperature sensor, evaluates the curve the host wrote
 * ({@link CompensationCurve}) and sets the smooth-calibration trim to cancel the error.
 *
 * <p>The trim moves in whole steps of 0.9537 ppm; the wanted correction is fractional. The
 * rest is dithered by error feedback, as a sigma-delta converter does: the step-seconds by
 * which the applied trim missed the wanted one are carried into the next choice, so over a
 * few intervals the average trim is the wanted value (the STM32's CALR does the same with
 * pulses inside its 32-second window). The carried error stays within half a step times an
 * interval, about 30 ms of clock over 64 s, and is held in RAM: only the curve is persistent.
 */
public final class ClockCompensation {
    /** Seconds of the token's clock between two updates (the DS3231 converts every 64 s). */
    public static final int INTERVAL_SECONDS = 64;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long INTERVAL_MICROS = INTERVAL_SECONDS * MICROS_PER_SECOND;
    private static final long NONE = Long.MIN_VALUE;

    private final RealTimeClock rtc;
    private final IntSupplier sensor;
    private CompensationCurve curve;
    private long lastMicros = NONE;
    private double wantedSteps;
    private double carriedStepSeconds;
    private long nextMicros = Long.MAX_VALUE;

    /** @param sensor the temperature sensor's reading, steps of 0.25 °C */
    public ClockCompensation(RealTimeClock rtc, IntSupplier sensor, Optional<CompensationCurve> curve) {
        this.rtc = Objects.requireNonNull(rtc);
        this.sensor = Objects.requireNonNull(sensor);
        this.curve = curve.orElse(null);
        if (this.curve != null) {
            nextMicros = rtc.readMicros();
        }
    }

    /** The sensor's reading now, steps of 0.25 °C. */
    public int temperatureQuarters() {
        return sensor.getAsInt();
    }

    public synchronized Optional<CompensationCurve> curve() {
        return Optional.ofNullable(curve);
    }

    /** The RTC reading at which the next update is due; {@link Long#MAX_VALUE} without a curve. */
    public synchronized long nextUpdateMicros() {
        return nextMicros;
    }

    /** Runs the update if it is due (the alarm went off while the token was busy). */
    public synchronized void poll() {
        if (curve != null && rtc.readMicros() >= nextMicros) {
            update();
        }
    }

    /**
     * The trim a new curve starts with, to be written with the curve in one transaction;
     * then {@link #start}. Does not touch the RTC.
     */
    public int firstTrim(CompensationCurve c) {
        double wanted = wanted(c, rtc.readMicros());
        return clamp(Math.round(wanted));
    }

    /** From now on the curve {@code c} (or none) is in force; the trim was already set. */
    public synchronized void start(CompensationCurve c) {
        curve = c;
        carriedStepSeconds = 0;
        if (c == null) {
            lastMicros = NONE;
            nextMicros = Long.MAX_VALUE;
            return;
        }
        long now = rtc.readMicros();
        lastMicros = now;
        wantedSteps = wanted(c, now);
        nextMicros = now + INTERVAL_MICROS;
    }

    /** The alarm: read the sensor, choose the trim, set it, and set the next alarm. */
    public synchronized void update() {
        if (curve == null) {
            return;
        }
        long now = rtc.readMicros();
        int applied = rtc.trim();
        carry(now, applied);
        wantedSteps = wanted(curve, now);
        int next = clamp(Math.round(wantedSteps + carriedStepSeconds / INTERVAL_SECONDS));
        if (next != applied) {
            rtc.setTrim(next);
        }
        lastMicros = now;
        nextMicros = now + INTERVAL_MICROS;
    }

    /** Adds what the trim in force missed since the last update to the carried error. */
    private void carry(long now, int applied) {
        if (lastMicros != NONE && now > lastMicros) {
            double elapsed = (now - lastMicros) / (double) MICROS_PER_SECOND;
            carriedStepSeconds += (wantedSteps - applied) * elapsed;
            // after a long gap (the token was busy) pay back at most a step per interval
            carriedStepSeconds = Math.max(-INTERVAL_SECONDS, Math.min(INTERVAL_SECONDS, carriedStepSeconds));
        }
    }

    /**
     * Told just before the clock is set to {@code newReadingMicros}: what was missed so far is
     * carried, and the updates continue every interval from the new reading.
     */
    public synchronized void clockSet(long newReadingMicros) {
        if (curve == null) {
            return;
        }
        carry(rtc.readMicros(), rtc.trim());
        lastMicros = newReadingMicros;
        nextMicros = newReadingMicros + INTERVAL_MICROS;
    }

    /** The trim in fractional steps that cancels the curve's error now. */
    private double wanted(CompensationCurve c, long rtcMicros) {
        TrimRegister reg = rtc.trimRegister();
        return -c.crystalPpm(sensor.getAsInt(), rtcMicros) / reg.stepPpm();
    }

    private int clamp(long steps) {
        TrimRegister reg = rtc.trimRegister();
        return (int) Math.max(reg.min(), Math.min(reg.max(), steps));
    }
}
