package dev.otptoken.hardware.clock;

/**
 * The crystal's temperature over true time. The RTC needs the integral of the squared
 * deviation from the turnover temperature in closed form, so that a reading costs the
 * same after a second or after thirty years.
 */
public interface TemperatureProfile {

    /** Temperature in °C at true time {@code epochNanos}. */
    double celsiusAt(long epochNanos);

    /** ∫ (T(t) − t0)² dt from {@code fromNanos} to {@code toNanos}, in °C²·s. */
    double squaredDeviationIntegral(long fromNanos, long toNanos, double t0);

    /** A constant temperature. */
    static TemperatureProfile constant(double celsius) {
        return new ConstantTemperature(celsius);
    }
}
