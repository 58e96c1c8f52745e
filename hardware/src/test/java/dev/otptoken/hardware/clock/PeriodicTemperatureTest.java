package dev.otptoken.hardware.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PeriodicTemperatureTest {
    static final long S = 1_000_000_000L;
    static final long DAY = 86_400 * S;
    /** A day: 10 °C at midnight, 20 °C at noon. */
    static final PiecewiseLinearTemperature DAY_CYCLE = new PiecewiseLinearTemperature(
            new long[] {0, DAY / 2, DAY}, new double[] {10, 20, 10});
    static final PeriodicTemperature DAILY = new PeriodicTemperature(DAY_CYCLE, 0, DAY);

    @Test
    void repeatsEveryPeriod() {
        assertThat(DAILY.celsiusAt(DAY / 2)).isEqualTo(20);
        assertThat(DAILY.celsiusAt(100 * DAY + DAY / 2)).isEqualTo(20);
        assertThat(DAILY.celsiusAt(100 * DAY + DAY / 4)).isEqualTo(15);
        assertThat(DAILY.celsiusAt(-DAY)).isEqualTo(10);
    }

    @Test
    void aYearIsThreeHundredSixtyFiveDays() {
        double day = DAY_CYCLE.squaredDeviationIntegral(0, DAY, 25);
        assertThat(DAILY.squaredDeviationIntegral(0, 365 * DAY, 25)).isCloseTo(365 * day, within(1e-6 * day));
    }

    /** Against a midpoint sum of the temperature it reports. */
    @Property(tries = 50)
    void integralMatchesASum(@ForAll @LongRange(min = 0, max = 400 * 86_400L) long fromS,
                             @ForAll @LongRange(min = 1, max = 3 * 86_400L) long lengthS) {
        long from = fromS * S;
        long to = from + lengthS * S;
        int n = 20_000;
        double h = (to - from) / (double) n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = DAILY.celsiusAt(from + Math.round((i + 0.5) * h)) - 25;
            sum += d * d * h * 1e-9;
        }
        assertThat(DAILY.squaredDeviationIntegral(from, to, 25)).isCloseTo(sum, within(1e-4 * Math.abs(sum) + 1e-3));
    }
}
