package dev.otptoken.host.calibrate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The token clock's offset over the year after a calibration, predicted from the fitted curve
 * for the temperatures of {@link YearProfile}, hour by hour (docs/calibration.md, "The
 * pictures"): the crystal alone (trim removed, nothing compensated) from a clock set at the
 * start, and the 95 % band of that prediction, which is all a token compensated by the curve
 * is expected to be off by (the curve is the prediction). The aging term is in both when the
 * fit has it.
 *
 * @param startMicros the token's clock at the start
 * @param days        one entry per day, {@link #DAYS} of them
 */
public record YearForecast(long startMicros, List<Day> days) {
    /** How far the forecast looks. */
    public static final int DAYS = 365;
    private static final int HOURS_PER_DAY = 24;
    private static final long HOUR_MICROS = 3_600_000_000L;
    private static final double SECONDS_PER_HOUR_PER_PPM = 3600e-6;

    /**
     * One day of the forecast, at its end.
     *
     * @param day            days after the start (1 to {@link #DAYS})
     * @param minCelsius     the profile's lowest temperature that day
     * @param maxCelsius     its highest
     * @param crystalSeconds the crystal alone's offset, integrated from the start
     * @param band95Seconds  half-width of the offset's 95 % band, integrated from the start
     */
    public record Day(int day, double minCelsius, double maxCelsius, double crystalSeconds, double band95Seconds) {
    }

    /** The year after {@code startMicros} (the token's clock) from {@code fit}. */
    public static YearForecast of(TemperatureFit fit, long startMicros) {
        List<Day> days = new ArrayList<>(DAYS);
        double offset = 0;
        double band = 0;
        for (int d = 1; d <= DAYS; d++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < HOURS_PER_DAY; h++) {
                // the middle of the hour
                long t = startMicros + ((long) (d - 1) * HOURS_PER_DAY + h) * HOUR_MICROS + HOUR_MICROS / 2;
                double c = YearProfile.celsius(Instant.EPOCH.plusNanos(t * 1000));
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
                offset += fit.ratePpm(c, t) * SECONDS_PER_HOUR_PER_PPM;
                band += fit.rate95Ppm(c, t) * SECONDS_PER_HOUR_PER_PPM;
            }
            days.add(new Day(d, lo, hi, offset, band));
        }
        return new YearForecast(startMicros, List.copyOf(days));
    }

    /** The last day. */
    public Day end() {
        return days.get(days.size() - 1);
    }
}
