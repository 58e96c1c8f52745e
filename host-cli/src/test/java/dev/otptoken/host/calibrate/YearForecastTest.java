package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The representative year and the offset predicted over it. */
class YearForecastTest {
    static final long JAN_1 = Instant.parse("2031-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    static final long DAY = 86_400_000_000L;

    /** A fit without a temperature term: the crystal runs {@code ppm} whatever the weather, ± {@code sigma} (1 σ). */
    static TemperatureFit flat(double ppm, double sigma) {
        return new TemperatureFit(ppm, 25, 0, 0, JAN_1, false,
                new double[][] {{sigma * sigma, 0, 0}, {0, 0, 0}, {0, 0, 0}});
    }

    @Test
    void theProfileIsTheNorthernYearWithItsDailySwing() {
        // 1 January: 12 °C (rising by 1 °C in 30 days), coldest at 03:00 and warmest at 15:00
        assertThat(YearProfile.celsius(Instant.parse("2031-01-01T03:00:00Z"))).isCloseTo(12 + 0.125 / 30 - 5,
                within(1e-9));
        assertThat(YearProfile.celsius(Instant.parse("2031-01-01T15:00:00Z"))).isCloseTo(12 + 0.625 / 30 + 5,
                within(1e-9));
        // day 180 (30 June): the summer's 29 °C
        assertThat(YearProfile.seasonalCelsius(180)).isEqualTo(29);
        // at 09:00 the daily swing is at its mean; the season turns down towards August's 28 °C
        assertThat(YearProfile.celsius(Instant.parse("2031-06-30T09:00:00Z"))).isCloseTo(29 - 0.375 / 30,
                within(1e-9));
        // halfway between two points, and after the last
        assertThat(YearProfile.seasonalCelsius(75)).isCloseTo(17.5, within(1e-9));
        assertThat(YearProfile.seasonalCelsius(364.9)).isEqualTo(12);
        assertThat(YearProfile.describe()).isEqualTo("a northern year, monthly means 12–29 °C (coldest in January),"
                + " ±5 °C a day");
    }

    @Test
    void aSteadyCrystalGainsItsRateTimesTheDaysAndTheBandLikewise() {
        YearForecast f = YearForecast.of(flat(10, 0.05), JAN_1);
        assertThat(f.days()).hasSize(YearForecast.DAYS);
        assertThat(f.days().get(0).day()).isEqualTo(1);
        assertThat(f.days().get(0).crystalSeconds()).isCloseTo(10e-6 * 86_400, within(1e-9));
        assertThat(f.end().crystalSeconds()).isCloseTo(10e-6 * 86_400 * 365, within(1e-6));
        assertThat(f.end().band95Seconds()).isCloseTo(TemperatureFit.Z95 * 0.05e-6 * 86_400 * 365, within(1e-6));
        // January's days run from 7 to 17 °C
        assertThat(f.days().get(0).minCelsius()).isCloseTo(7, within(0.1));
        assertThat(f.days().get(0).maxCelsius()).isCloseTo(17, within(0.1));
    }

    @Test
    void theParabolaCostsMostInWinterAndTheForecastFollowsTheCalendar() {
        // 18 ppm at the turnover, k = 0.034: in January (7–17 °C) the crystal runs slower than in July (24–34 °C)
        TemperatureFit fit = new TemperatureFit(18, 25, 0.034, 0, JAN_1, false, new double[3][3]);
        YearForecast winter = YearForecast.of(fit, JAN_1);
        YearForecast summer = YearForecast.of(fit, JAN_1 + 180 * DAY);
        double januaryDay = winter.days().get(0).crystalSeconds();
        double julyDay = summer.days().get(0).crystalSeconds();
        assertThat(januaryDay).isLessThan(julyDay);
        // the hourly sum of one day against the rate at the day's hours, by hand
        double sum = 0;
        for (int h = 0; h < 24; h++) {
            double c = 12 - 5 * Math.cos(2 * Math.PI * (h + 0.5 - 3) / 24) + (1.0 / 30) * (h + 0.5) / 24;
            sum += (18 - 0.034 * (c - 25) * (c - 25)) * 3600e-6;
        }
        assertThat(januaryDay).isCloseTo(sum, within(1e-6));
        // a whole year from any day sees every season: the same total within the seam of the profile's year
        assertThat(summer.end().crystalSeconds()).isCloseTo(winter.end().crystalSeconds(), within(1.0));
    }

    @Test
    void anAgingFitAddsItsTermOverTheYear() {
        double[][] cov = new double[4][4];
        TemperatureFit aging = new TemperatureFit(0, 25, 0, 1.0, JAN_1, true, cov);
        YearForecast f = YearForecast.of(aging, JAN_1);
        // α ln(1 + t/30 d) integrated: positive and growing faster than linearly at first
        assertThat(f.end().crystalSeconds()).isPositive();
        List<YearForecast.Day> d = f.days();
        assertThat(d.get(29).crystalSeconds() - d.get(28).crystalSeconds())
                .isLessThan(d.get(364).crystalSeconds() - d.get(363).crystalSeconds());
        double ratePpm = Math.log1p(364.5 / 30);
        assertThat(d.get(364).crystalSeconds() - d.get(363).crystalSeconds()).isCloseTo(ratePpm * 0.0864, within(1e-3));
    }
}
