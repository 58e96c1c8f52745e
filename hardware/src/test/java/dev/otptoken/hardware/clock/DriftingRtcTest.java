package dev.otptoken.hardware.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DriftingRtcTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long YEAR_NANOS = (long) (365.25 * 86_400) * 1_000_000_000L;

    private static long startNanos() {
        return START.getEpochSecond() * 1_000_000_000L;
    }

    @Test
    void twentyPpmGains631sInAYear() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, CrystalModel.of(20, 25, 0), TrimRegister.STM32_CALR);
        t.advance(Duration.ofNanos(YEAR_NANOS));
        double gained = (rtc.readNanos() - t.epochNanos()) * 1e-9;
        assertThat(gained).isCloseTo(631.152, within(0.001));
    }

    @Test
    void thirtyYearsAheadIsExactToo() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, CrystalModel.of(20, 25, 0), TrimRegister.STM32_CALR);
        t.advance(Duration.ofNanos(30 * YEAR_NANOS));
        long before = rtc.readNanos();
        t.advance(Duration.ofNanos(YEAR_NANOS));
        double gainedInYear31 = (rtc.readNanos() - before - YEAR_NANOS) * 1e-9;
        assertThat(gainedInYear31).isCloseTo(631.152, within(0.001));
        assertThat((rtc.readNanos() - t.epochNanos()) * 1e-9).isCloseTo(31 * 631.152, within(0.001));
    }

    @Test
    void temperatureParabola() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        assertThat(new DriftingRtc(t, CrystalModel.of(0, 45, 0), TrimRegister.STM32_CALR).ratePpm())
                .isCloseTo(-13.6, within(1e-9));
        assertThat(new DriftingRtc(t, CrystalModel.of(0, 0, 0), TrimRegister.STM32_CALR).ratePpm())
                .isCloseTo(-21.25, within(1e-9));
    }

    @Test
    void agingOverOneYearIsConfiguredValue() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, CrystalModel.of(0, 25, 3), TrimRegister.STM32_CALR);
        assertThat(rtc.ratePpm()).isZero();
        t.advance(Duration.ofNanos(YEAR_NANOS));
        assertThat(rtc.ratePpm()).isCloseTo(3.0, within(1e-9));
        // the accumulated offset is the closed-form integral, checked against a midpoint sum
        double sum = 0;
        int n = 100_000;
        double h = YEAR_NANOS * 1e-9 / n;
        for (int i = 0; i < n; i++) {
            sum += rtc.crystal().agingPpm((i + 0.5) * h) * h;
        }
        assertThat((rtc.readNanos() - t.epochNanos()) * 1e-3).isCloseTo(sum, within(1e-3 * Math.abs(sum)));
    }

    @Test
    void setAndTrimTakeEffectFromThatInstant() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, CrystalModel.of(20, 25, 0), TrimRegister.STM32_CALR);
        t.advance(Duration.ofDays(10));
        long atTrim = rtc.readNanos();
        rtc.setTrim(TrimRegister.STM32_CALR.stepsFor(-20));
        assertThat(rtc.readNanos()).isEqualTo(atTrim);
        t.advance(Duration.ofDays(10));
        double residualPpm = 20 + TrimRegister.STM32_CALR.ppm(rtc.trim());
        long expected = atTrim + Duration.ofDays(10).toNanos() + Math.round(residualPpm * 864_000 * 1e3);
        assertThat(rtc.readNanos()).isCloseTo(expected, within(2L));
        rtc.set(1_000_000L);
        assertThat(rtc.readMicros()).isEqualTo(1_000_000L);
        t.advance(Duration.ofSeconds(1));
        assertThat(rtc.readMicros()).isCloseTo(2_000_000L, within(1L));
    }

    @Test
    void outOfRangeTrimRefused() {
        DriftingRtc rtc = new DriftingRtc(new VirtualTimeSource(START), CrystalModel.of(0, 25, 0),
                TrimRegister.STM32_CALR);
        assertThatThrownBy(() -> rtc.setTrim(513)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rtc.setTrim(-512)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void piecewiseProfileMatchesNumericIntegral() {
        long s = startNanos();
        long day = 86_400_000_000_000L;
        TemperatureProfile p = new PiecewiseLinearTemperature(new long[] {s, s + day, s + 3 * day},
                new double[] {25, 5, 40});
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, new CrystalModel(0, 25, 0.034, 0, p), TrimRegister.STM32_CALR);
        t.advance(Duration.ofDays(5));
        double sum = 0;
        int n = 500_000;
        long step = 5 * day / n;
        for (int i = 0; i < n; i++) {
            double d = p.celsiusAt(s + i * step + step / 2) - 25;
            sum += -0.034 * d * d * step * 1e-9;
        }
        assertThat((rtc.readNanos() - t.epochNanos()) * 1e-3).isCloseTo(sum, within(1e-4 * Math.abs(sum)));
    }

    /** The alarm instant: the first true nanosecond at which the RTC reads the target. */
    @Test
    void trueTimeWhenTheRtcReadsAValue() {
        VirtualTimeSource t = new VirtualTimeSource(START);
        long[] at = {startNanos(), startNanos() + YEAR_NANOS};
        CrystalModel crystal = new CrystalModel(18, 25, 0.034, 3,
                new PiecewiseLinearTemperature(at, new double[] {5, 40}));
        DriftingRtc rtc = new DriftingRtc(t, crystal, TrimRegister.STM32_CALR, startNanos(), startNanos(), -7);
        for (long target : new long[] {startNanos(), startNanos() + 64_000_000_000L, startNanos() + YEAR_NANOS / 3}) {
            long when = rtc.trueNanosWhenReading(target);
            assertThat(rtc.readingNanosAt(when)).isGreaterThanOrEqualTo(target);
            assertThat(rtc.readingNanosAt(when - 1)).isLessThan(target);
        }
        assertThatThrownBy(() -> rtc.trueNanosWhenReading(startNanos() - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
