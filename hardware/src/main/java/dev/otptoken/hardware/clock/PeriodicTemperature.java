package dev.otptoken.hardware.clock;

/**
 * A profile that repeats: from {@code startNanos} on, the temperature of
 * {@code base} over [start, start + period) comes again every period (a daily or a
 * seasonal cycle); before the start it is {@code base} itself. The integral over any
 * interval is whole periods times one period's integral plus the two ends, so its cost
 * does not grow with the interval.
 */
public final class PeriodicTemperature implements TemperatureProfile {
    private final TemperatureProfile base;
    private final long startNanos;
    private final long periodNanos;

    public PeriodicTemperature(TemperatureProfile base, long startNanos, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("the period must be positive");
        }
        this.base = base;
        this.startNanos = startNanos;
        this.periodNanos = periodNanos;
    }

    private long fold(long t) {
        return startNanos + Math.floorMod(t - startNanos, periodNanos);
    }

    @Override
    public double celsiusAt(long epochNanos) {
        return base.celsiusAt(epochNanos < startNanos ? epochNanos : fold(epochNanos));
    }

    /** ∫ from start to t (negative before the start). */
    private double primitive(long t, double t0) {
        if (t <= startNanos) {
            return -base.squaredDeviationIntegral(t, startNanos, t0);
        }
        long periods = Math.floorDiv(t - startNanos, periodNanos);
        double whole = periods == 0 ? 0 : periods * base.squaredDeviationIntegral(startNanos, startNanos + periodNanos, t0);
        return whole + base.squaredDeviationIntegral(startNanos, fold(t), t0);
    }

    @Override
    public double squaredDeviationIntegral(long fromNanos, long toNanos, double t0) {
        return primitive(toNanos, t0) - primitive(fromNanos, t0);
    }
}
