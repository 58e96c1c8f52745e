package dev.otptoken.firmware.sim;

import dev.otptoken.hardware.clock.TemperatureProfile;
import java.util.Arrays;

/**
 * A temperature that can be changed while the token runs: constant between the moments it
 * was set, so the RTC's integral over any interval (also one reaching back before the last
 * change, from the RTC's anchor) stays exact. Changes are appended in true-time order.
 */
final class SteppedTemperature implements TemperatureProfile {
    /** {@code times[i]}: when {@code celsius[i]} began; {@code times[0]} is the start of time. */
    private long[] times = {Long.MIN_VALUE};
    private double[] celsius;
    private int size = 1;

    SteppedTemperature(double initialCelsius) {
        celsius = new double[] {initialCelsius};
    }

    /** From true time {@code atNanos} on the temperature is {@code value}; not before the last change. */
    synchronized void set(long atNanos, double value) {
        if (atNanos < times[size - 1]) {
            throw new IllegalArgumentException("a temperature change cannot go back in time");
        }
        if (atNanos == times[size - 1]) {
            celsius[size - 1] = value;
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            celsius = Arrays.copyOf(celsius, size * 2);
        }
        times[size] = atNanos;
        celsius[size] = value;
        size++;
    }

    @Override
    public synchronized double celsiusAt(long epochNanos) {
        int i = size - 1;
        while (i > 0 && times[i] > epochNanos) {
            i--;
        }
        return celsius[i];
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
                double d = celsius[i] - t0;
                sum += d * d * ((hi - lo) * 1e-9);
            }
        }
        return sum;
    }
}
