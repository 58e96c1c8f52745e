package dev.otptoken.hardware.clock;

/**
 * An RTC driven by a {@link CrystalModel} and corrected by a trim register, answered in
 * closed form: reading = anchor reading + ∫ (1 + rate(t)) dt from the anchor's true time.
 * The whole nanoseconds of true time are added as longs and only the drift term is a
 * double, so a reading keeps nanosecond precision decades after the anchor.
 *
 * <p>The real STM32 applies CALR in 32-second windows (masking or adding pulses); the model
 * spreads the correction continuously, which has the same average rate.
 */
public final class DriftingRtc implements RealTimeClock {
    private final TimeSource time;
    private final CrystalModel crystal;
    private final TrimRegister register;
    private final long manufacturedNanos;
    private long anchorTrueNanos;
    private long anchorReadingNanos;
    private int trim;

    /** An RTC reading true time now, its crystal made now. */
    public DriftingRtc(TimeSource time, CrystalModel crystal, TrimRegister register) {
        this(time, crystal, register, time.epochNanos(), time.epochNanos(), 0);
    }

    public DriftingRtc(TimeSource time, CrystalModel crystal, TrimRegister register,
                       long manufacturedNanos, long initialReadingNanos, int trim) {
        this.time = time;
        this.crystal = crystal;
        this.register = register;
        this.manufacturedNanos = manufacturedNanos;
        checkTrim(trim);
        this.trim = trim;
        this.anchorTrueNanos = time.epochNanos();
        this.anchorReadingNanos = initialReadingNanos;
    }

    private void checkTrim(int steps) {
        if (steps < register.min() || steps > register.max()) {
            throw new IllegalArgumentException("trim " + steps + " outside " + register.min() + "…" + register.max());
        }
    }

    /** The reading at true time {@code trueNanos}, in nanoseconds since the epoch. */
    public synchronized long readingNanosAt(long trueNanos) {
        long elapsed = trueNanos - anchorTrueNanos;
        double driftPpmSeconds = crystal.integralPpmSeconds(anchorTrueNanos, trueNanos, manufacturedNanos)
                + register.ppm(trim) * (elapsed * 1e-9);
        return anchorReadingNanos + elapsed + Math.round(driftPpmSeconds * 1e3);
    }

    /**
     * The first true instant at which the RTC reads at least {@code readingNanos}, with the
     * trim now in force: when an RTC alarm (a wakeup timer) set to that reading goes off.
     * Newton's method on the closed-form reading (its slope is 1 + rate, never far from 1),
     * then a nanosecond walk to the exact first instant; requires a reading not before the
     * anchor's.
     */
    public synchronized long trueNanosWhenReading(long readingNanos) {
        if (readingNanos < anchorReadingNanos) {
            throw new IllegalArgumentException("a reading before the RTC's anchor");
        }
        long t = anchorTrueNanos + (readingNanos - anchorReadingNanos);
        for (int i = 0; i < NEWTON_ROUNDS; i++) {
            long miss = readingNanosAt(t) - readingNanos;
            if (miss == 0) {
                break;
            }
            double slope = 1 + ratePpmAt(t) * 1e-6;
            t -= Math.round(miss / slope);
        }
        while (readingNanosAt(t) < readingNanos) {
            t++;
        }
        while (t > anchorTrueNanos && readingNanosAt(t - 1) >= readingNanos) {
            t--;
        }
        return t;
    }

    private static final int NEWTON_ROUNDS = 4;

    public long readNanos() {
        return readingNanosAt(time.epochNanos());
    }

    @Override
    public long readMicros() {
        return Math.floorDiv(readNanos(), 1000L);
    }

    @Override
    public synchronized void set(long micros) {
        anchorTrueNanos = time.epochNanos();
        anchorReadingNanos = Math.multiplyExact(micros, 1000L);
    }

    @Override
    public synchronized int trim() {
        return trim;
    }

    @Override
    public synchronized void setTrim(int steps) {
        checkTrim(steps);
        long now = time.epochNanos();
        anchorReadingNanos = readingNanosAt(now);
        anchorTrueNanos = now;
        trim = steps;
    }

    @Override
    public TrimRegister trimRegister() {
        return register;
    }

    public CrystalModel crystal() {
        return crystal;
    }

    /** The total rate error (crystal + trim) now, in ppm. */
    public double ratePpm() {
        return ratePpmAt(time.epochNanos());
    }

    public synchronized double ratePpmAt(long trueNanos) {
        return crystal.ratePpm(trueNanos, manufacturedNanos) + register.ppm(trim);
    }
}
