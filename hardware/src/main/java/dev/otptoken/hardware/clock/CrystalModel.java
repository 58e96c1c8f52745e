package dev.otptoken.hardware.clock;

/**
 * A 32.768 kHz tuning-fork crystal. Its rate error in ppm of true time at age {@code a}
 * seconds and temperature T is
 * {@code toleranceppm − k·(T − T0)² + agingPpmFirstYear · log10(1 + a/τ) / log10(1 + Y/τ)}
 * with Y = 365.25 days and τ = {@link #AGING_TAU_SECONDS} (30 days): the aging offset is
 * logarithmic (fast at first, slower later) and equals {@code agingPpmFirstYear} at one year.
 *
 * @param tolerancePpm       the offset at 25 °C fixed at manufacture
 * @param turnoverCelsius    T0, the top of the parabola
 * @param kPpmPerCelsius2    the parabolic coefficient k
 * @param agingPpmFirstYear  aging offset reached after one year
 * @param temperature        the temperature over true time
 */
public record CrystalModel(double tolerancePpm, double turnoverCelsius, double kPpmPerCelsius2,
                           double agingPpmFirstYear, TemperatureProfile temperature) {

    public static final double DEFAULT_TURNOVER_CELSIUS = 25.0;
    public static final double DEFAULT_K = 0.034;
    public static final double YEAR_SECONDS = 365.25 * 86_400;
    public static final double AGING_TAU_SECONDS = 30 * 86_400;
    private static final double AGING_NORM = Math.log1p(YEAR_SECONDS / AGING_TAU_SECONDS);

    public CrystalModel {
        if (temperature == null) {
            throw new IllegalArgumentException("temperature profile required");
        }
    }

    /** A crystal with the default turnover and k. */
    public static CrystalModel of(double tolerancePpm, double celsius, double agingPpmFirstYear) {
        return new CrystalModel(tolerancePpm, DEFAULT_TURNOVER_CELSIUS, DEFAULT_K, agingPpmFirstYear,
                TemperatureProfile.constant(celsius));
    }

    /** The aging offset in ppm at {@code ageSeconds} (0 before manufacture). */
    public double agingPpm(double ageSeconds) {
        if (ageSeconds <= 0) {
            return 0;
        }
        return agingPpmFirstYear * Math.log1p(ageSeconds / AGING_TAU_SECONDS) / AGING_NORM;
    }

    /** ∫0^age of the aging offset, in ppm·s: closed form of ∫ln(1+a/τ) = (τ+a)ln(1+a/τ) − a. */
    public double agingIntegral(double ageSeconds) {
        if (ageSeconds <= 0) {
            return 0;
        }
        double tau = AGING_TAU_SECONDS;
        double raw = (tau + ageSeconds) * Math.log1p(ageSeconds / tau) - ageSeconds;
        return agingPpmFirstYear * raw / AGING_NORM;
    }

    /** The rate error in ppm at a true time, without trim. */
    public double ratePpm(long epochNanos, long manufacturedNanos) {
        double d = temperature.celsiusAt(epochNanos) - turnoverCelsius;
        return tolerancePpm - kPpmPerCelsius2 * d * d + agingPpm((epochNanos - manufacturedNanos) * 1e-9);
    }

    /** ∫ of the rate error (without trim) between two true times, in ppm·s. */
    public double integralPpmSeconds(long fromNanos, long toNanos, long manufacturedNanos) {
        double seconds = (toNanos - fromNanos) * 1e-9;
        double temp = kPpmPerCelsius2 * temperature.squaredDeviationIntegral(fromNanos, toNanos, turnoverCelsius);
        double aging = agingIntegral((toNanos - manufacturedNanos) * 1e-9)
                - agingIntegral((fromNanos - manufacturedNanos) * 1e-9);
        return tolerancePpm * seconds - temp + aging;
    }
}
