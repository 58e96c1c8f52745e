package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.calibrate.TemperatureFit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a compensated token stays within ±1 step: its offset now plus the fit's band, day by day. */
class ClockForecastTest {
    static final long T = 1_800_000_000_000_000L;

    static TemperatureFit fit(double rate95) {
        return TemperatureFit.fit(List.of(new TemperatureFit.Point(T, 10, 20 - 0.034 * 225, rate95),
                new TemperatureFit.Point(T, 25, 20, rate95), new TemperatureFit.Point(T, 40, 20 - 0.034 * 225, rate95)));
    }

    @Test
    void aWiderBandOrALargerOffsetLeavesSooner() {
        double narrow = ClockForecast.daysWithin(fit(0.05), T, 0);
        double wide = ClockForecast.daysWithin(fit(0.5), T, 0);
        assertThat(wide).isLessThan(narrow).isPositive();
        assertThat(ClockForecast.daysWithin(fit(0.5), T, 20)).isLessThan(wide);
        assertThat(ClockForecast.daysWithin(fit(0.5), T, -31)).isZero();
    }

    /** The worst band over 0–40 °C, in s/day, sets the pace: 30 s over it is the days. */
    @Test
    void theDaysAreTheWindowOverTheWorstBand() {
        TemperatureFit f = fit(0.2);
        double worst = 0;
        for (int c = 0; c <= 40; c += 5) {
            worst = Math.max(worst, f.rate95Ppm(c, T));
        }
        double days = ClockForecast.daysWithin(f, T, 0);
        assertThat(days).isBetween(30 / (worst * 0.0864) - 1, 30 / (worst * 0.0864) + 1);
    }
}
