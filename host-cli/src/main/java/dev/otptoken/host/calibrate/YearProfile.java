package dev.otptoken.host.calibrate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The representative year of a token's temperature (docs/calibration.md, "The pictures" and
 * "A year with compensation"): a token carried through a northern year, cold winter pockets
 * and warm summer desks, the monthly means {@link #monthlyCelsius()} from 1 January, and a
 * daily swing of ±{@link #DAILY_SWING} °C, coldest at {@link #COLDEST_HOUR}:00 UTC. The
 * benchmarks' simulated years and the year {@code calibrate --temperatures --plot} predicts
 * both take it from here.
 */
public final class YearProfile {
    /** The seasonal mean every {@link #DAYS_PER_POINT} days from 1 January, °C; linear between. */
    private static final double[] MONTHLY_CELSIUS = {12, 13, 16, 19, 23, 27, 29, 28, 24, 19, 15, 12, 12};
    public static final int DAYS_PER_POINT = 30;
    /** Half the daily swing, °C. */
    public static final double DAILY_SWING = 5;
    public static final int COLDEST_HOUR = 3;
    private static final double HOURS_PER_DAY = 24;

    private YearProfile() {
    }

    /** The seasonal means, one every {@link #DAYS_PER_POINT} days from 1 January (a copy). */
    public static double[] monthlyCelsius() {
        return MONTHLY_CELSIUS.clone();
    }

    /** The seasonal mean {@code days} after 1 January 00:00 UTC (the last point's after day 360), °C. */
    public static double seasonalCelsius(double days) {
        double pos = Math.min(Math.max(0, days) / DAYS_PER_POINT, MONTHLY_CELSIUS.length - 1);
        int i = (int) Math.min(Math.floor(pos), MONTHLY_CELSIUS.length - 2);
        return MONTHLY_CELSIUS[i] + (pos - i) * (MONTHLY_CELSIUS[i + 1] - MONTHLY_CELSIUS[i]);
    }

    /** The temperature {@code days} after 1 January 00:00 UTC: the seasonal mean and the daily swing, °C. */
    public static double celsius(double days) {
        double hour = (days - Math.floor(days)) * HOURS_PER_DAY;
        return seasonalCelsius(days) - DAILY_SWING * Math.cos(2 * Math.PI * (hour - COLDEST_HOUR) / HOURS_PER_DAY);
    }

    /** The temperature at {@code t}, on the profile of its year (UTC). */
    public static double celsius(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        long newYear = z.withDayOfYear(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        return celsius((t.getEpochSecond() - newYear + t.getNano() / 1e9) / 86_400);
    }

    /** What the profile is, in a line. */
    public static String describe() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double c : MONTHLY_CELSIUS) {
            lo = Math.min(lo, c);
            hi = Math.max(hi, c);
        }
        return String.format(Locale.ROOT, "a northern year, monthly means %.0f–%.0f °C (coldest in January),"
                + " ±%.0f °C a day", lo, hi, DAILY_SWING);
    }
}
