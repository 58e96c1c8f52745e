package dev.otptoken.hardware.clock;

/** A crystal kept at one temperature. */
public record ConstantTemperature(double celsius) implements TemperatureProfile {

    @Override
    public double celsiusAt(long epochNanos) {
        return celsius;
    }

    @Override
    public double squaredDeviationIntegral(long fromNanos, long toNanos, double t0) {
        double d = celsius - t0;
        return d * d * ((toNanos - fromNanos) * 1e-9);
    }
}
