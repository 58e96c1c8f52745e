package dev.otptoken.firmware.sim;

import dev.otptoken.hardware.clock.TemperatureProfile;
import java.util.Arrays;

/**
 * A temperature that can be changed while the token runs: a profile (a constant, or the
 * {@code --temperature-profile} file) from each moment it was set until the next, so the
 * RTC's integral over any interval (also one reaching back before the last change, from the
 * RTC's anchor) stays exact. Changes are appended in true-time order.
 */
final class SteppedTemperature implements TemperatureProfile {
    /** {@code times[i]}: when {@code profiles[i]} began; {@code times[0]} is the start of time. */
    private long[] times = {Long.MIN_VALUE};
    private TemperatureProfile[] profiles;
    private int size = 1;

    SteppedTemperature(double initialCelsius) {
        this(TemperatureProfile.constant(initialCelsius));
    }

    SteppedTemperature(TemperatureProfile initial) {
        profiles = new TemperatureProfile[] {initial};
    }

    /** From true time {@code atNanos} on the temperature is {@code value}; not before the last change. */
    synchronized void set(long atNanos, double value) {
        set(atNanos, TemperatureProfile.constant(value));
    }

    /** From true time {@code atNanos} on the temperature follows {@code profile}. */
    synchronized void set(long atNanos, TemperatureProfile profile) {
        if (atNanos < times[size - 1]) {
            throw new IllegalArgumentException("a temperature change cannot go back in time");
        }
        if (atNanos == times[size - 1]) {
            profiles[size - 1] = profile;
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            profiles = Arrays.copyOf(profiles, size * 2);
        }
        times[size] = atNanos;
        profiles[size] = profile;
        size++;
    }

    @Override
    public synchronized double celsiusAt(long epochNanos) {
        int i = size - 1;
        while (i > 0 && times[i] > epochNanos) {
            i--;
        }
        return profiles[i].celsiusAt(epochNanos);
    }

    @Override
    public synchronized double squaredDeviationIntegral(long fromNanos, long toNanos, double t0) {
        if (toNanos < fromNanos) {
            return -squaredDeviationIntegral(toNanos, fromNanos, t0);
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            long lo = Math.max(fromNanos, times[i]);
            long hi = i + 1 < size ? Math.min(toNanos, times[i + 1]) : toNanos;
            if (hi > lo) {
                sum += profiles[i].squaredDeviationIntegral(lo, hi, t0);
            }
        }
        return sum;
    }
}
