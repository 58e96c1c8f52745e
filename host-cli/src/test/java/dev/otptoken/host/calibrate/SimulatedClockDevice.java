package dev.otptoken.host.calibrate;

import dev.otptoken.host.session.ClockReading;
import java.time.Instant;
import java.util.Random;

/**
 * A token clock for unit tests, on a fake host time line: the RTC runs at
 * {@code (1 + (crystal + trim·step)·10⁻⁶)} of host time, and every exchange moves host time on
 * by a random round trip (see {@link #clock()}). Trim and clock
 * writes behave like the device applet's.
 */
final class SimulatedClockDevice implements ClockDevice {
    static final long STEP_PPT = 953_674L; // 2^-20 in parts per trillion
    static final int TRIM_MIN = -511;
    static final int TRIM_MAX = 512;

    private final double crystalPpm;
    private final Random random;
    private final long rttMeanNanos;
    private final double slowFraction;
    long hostNanos;
    /** Token time minus {@code base}, ns: kept small so a double resolves well under a nanosecond. */
    private double tokenNanos;
    private final long base;
    private long lastHostNanos;
    int trim;
    int clockWrites;
    Instant lastSet;

    SimulatedClockDevice(long startHostNanos, double offsetSeconds, double crystalPpm, long rttMeanNanos,
                         double slowFraction, long seed) {
        this.hostNanos = startHostNanos;
        this.lastHostNanos = startHostNanos;
        this.base = startHostNanos;
        this.tokenNanos = offsetSeconds * 1e9;
        this.crystalPpm = crystalPpm;
        this.rttMeanNanos = rttMeanNanos;
        this.slowFraction = slowFraction;
        this.random = new Random(seed);
    }

    /** The host clock the calibrator reads: this device's fake time line. */
    HostClock hostClock() {
        long start = hostNanos;
        return new HostClock(() -> HostClock.instant(start), () -> hostNanos - start);
    }

    double ratePpm() {
        return crystalPpm + trim * STEP_PPT / 1e6;
    }

    private void advance(long nanos) {
        hostNanos += nanos;
        tokenNanos += (hostNanos - lastHostNanos) * (1 + ratePpm() * 1e-6);
        lastHostNanos = hostNanos;
    }

    /**
     * One exchange as measured over a pseudo-terminal: the token reads its clock at a nearly
     * fixed point (40 % of the base round trip, ±20 µs), and the host sees the reply after the
     * rest of it plus a delay: usually a fraction of a millisecond, sometimes (the
     * {@code slowFraction}) tens of milliseconds.
     */
    @Override
    public ClockReading clock() {
        long before = (long) (rttMeanNanos * 0.4 + random.nextGaussian() * 20_000);
        advance(before);
        long micros = base / 1000 + (long) Math.floor(tokenNanos / 1000.0);
        long late = (long) (random.nextDouble() < slowFraction ? rttMeanNanos * 20 * random.nextDouble()
                : random.nextDouble() * rttMeanNanos * 0.2);
        advance(rttMeanNanos - before + late);
        return new ClockReading(micros, trim, STEP_PPT, TRIM_MIN, TRIM_MAX,
                lastSet == null ? 0 : lastSet.getEpochSecond() * 1_000_000L);
    }

    @Override
    public void setClock(Instant time, boolean force) {
        advance(rttMeanNanos / 2);
        tokenNanos = (time.getEpochSecond() * 1_000_000_000L + time.getNano()) - base;
        lastSet = time;
        clockWrites++;
        advance(rttMeanNanos / 2);
    }

    @Override
    public void setTrim(int steps) {
        if (steps < TRIM_MIN || steps > TRIM_MAX) {
            throw new IllegalArgumentException("trim out of range");
        }
        advance(rttMeanNanos / 2);
        trim = steps;
        advance(rttMeanNanos / 2);
    }

    /** A pacer that jumps the fake time line instead of sleeping. */
    Pacer pacer() {
        return (clock, target) -> {
            long now = clock.nowNanos();
            if (target > now) {
                advance(target - now);
            }
        };
    }
}
