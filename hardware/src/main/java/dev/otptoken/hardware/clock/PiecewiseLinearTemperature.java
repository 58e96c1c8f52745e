package dev.otptoken.hardware.clock;

import java.util.Arrays;

/**
 * Temperature interpolated linearly between points in true time, held constant before the
 * first and after the last. Prefix integrals per turnover temperature make any interval a
 * difference of two lookups (binary search), whatever its length.
 */
public final class PiecewiseLinearTemperature implements TemperatureProfile {
    private final long[] times;
    private final double[] temps;

    /** @param epochNanos strictly increasing times; @param celsius the temperature at each */
    public PiecewiseLinearTemperature(long[] epochNanos, double[] celsius) {
        if (epochNanos.length == 0 || epochNanos.length != celsius.length) {
            throw new IllegalArgumentException("need as many temperatures as times, at least one");
        }
        for (int i = 1; i < epochNanos.length; i++) {
            if (epochNanos[i] <= epochNanos[i - 1]) {
                throw new IllegalArgumentException("times must increase strictly");
            }
        }
        this.times = epochNanos.clone();
        this.temps = celsius.clone();
    }

    @Override
    public double celsiusAt(long t) {
        int n = times.length;
        if (t <= times[0]) {
            return temps[0];
        }
        if (t >= times[n - 1]) {
            return temps[n - 1];
        }
        int i = segment(t);
        double f = (double) (t - times[i]) / (times[i + 1] - times[i]);
        return temps[i] + f * (temps[i + 1] - temps[i]);
    }

    /** Index i with times[i] <= t < times[i+1]; requires times[0] <= t < times[n-1]. */
    private int segment(long t) {
        int idx = Arrays.binarySearch(times, t);
        return idx >= 0 ? idx : -idx - 2;
    }

    private static double linearSquared(double u0, double u1, double seconds) {
        // ∫ u² over a linear u from u0 to u1: seconds·(u0² + u0·u1 + u1²)/3
        return seconds * (u0 * u0 + u0 * u1 + u1 * u1) / 3.0;
    }

    /** ∫ from times[0] to t of (T − t0)² (negative before times[0]). */
    private double primitive(long t, double t0, double[] prefix) {
        int n = times.length;
        if (t <= times[0]) {
            double d = temps[0] - t0;
            return d * d * ((t - times[0]) * 1e-9);
        }
        if (t >= times[n - 1]) {
            double d = temps[n - 1] - t0;
            return prefix[n - 1] + d * d * ((t - times[n - 1]) * 1e-9);
        }
        int i = segment(t);
        return prefix[i] + linearSquared(temps[i] - t0, celsiusAt(t) - t0, (t - times[i]) * 1e-9);
    }

    private volatile double cachedT0 = Double.NaN;
    private volatile double[] cachedPrefix;

    private double[] prefix(double t0) {
        double[] p = cachedPrefix;
        if (p != null && Double.compare(cachedT0, t0) == 0) {
            return p;
        }
        p = new double[times.length];
        for (int i = 1; i < times.length; i++) {
            p[i] = p[i - 1] + linearSquared(temps[i - 1] - t0, temps[i] - t0, (times[i] - times[i - 1]) * 1e-9);
        }
        synchronized (this) {
            cachedPrefix = p;
            cachedT0 = t0;
        }
        return p;
    }

    @Override
    public double squaredDeviationIntegral(long fromNanos, long toNanos, double t0) {
        double[] p = prefix(t0);
        return primitive(toNanos, t0, p) - primitive(fromNanos, t0, p);
    }
}
