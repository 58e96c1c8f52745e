package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class TemperatureFitTest {
    static final long DAY_MICROS = 86_400_000_000L;
    static final long T = 1_800_000_000_000_000L;

    static double rate(double offset, double t0, double k, double c) {
        return offset - k * (c - t0) * (c - t0);
    }

    /** Exact points at 10, 25 and 40 °C give the crystal back, whatever the priors say. */
    @Property(tries = 200)
    void threeTemperaturesRecoverTheCrystal(@ForAll @DoubleRange(min = -50, max = 50) double offset,
                                            @ForAll @DoubleRange(min = 18, max = 32) double t0,
                                            @ForAll @DoubleRange(min = 0.025, max = 0.045) @Scale(5) double k) {
        List<TemperatureFit.Point> p = new ArrayList<>();
        for (double c : new double[] {10, 25, 40}) {
            p.add(new TemperatureFit.Point(T, c, rate(offset, t0, k, c), 0.01));
        }
        TemperatureFit f = TemperatureFit.fit(p);
        assertThat(f.turnoverCelsius()).isCloseTo(t0, within(0.01));
        assertThat(f.kPpmPerCelsius2()).isCloseTo(k, within(k * 0.002));
        assertThat(f.offsetPpm()).isCloseTo(offset, within(0.01));
        assertThat(f.agingFitted()).isFalse();
        assertThat(f.turnover95()).isLessThan(0.1);
    }

    /** Noise of the stated size: the 95 % intervals hold the truth about 95 % of the time. */
    @Test
    void intervalsCoverTheTruth() {
        SplittableRandom r = new SplittableRandom(7);
        int t0Hits = 0;
        int kHits = 0;
        int runs = 400;
        for (int i = 0; i < runs; i++) {
            List<TemperatureFit.Point> p = new ArrayList<>();
            for (double c : new double[] {10, 25, 40}) {
                p.add(new TemperatureFit.Point(T, c, rate(20, 27, 0.038, c) + r.nextGaussian() * 0.133 / 1.96, 0.133));
            }
            TemperatureFit f = TemperatureFit.fit(p);
            t0Hits += Math.abs(f.turnoverCelsius() - 27) <= f.turnover95() ? 1 : 0;
            kHits += Math.abs(f.kPpmPerCelsius2() - 0.038) <= f.k95() ? 1 : 0;
        }
        assertThat(t0Hits / (double) runs).isBetween(0.90, 0.99);
        assertThat(kHits / (double) runs).isBetween(0.90, 0.99);
    }

    /** Two temperatures and the datasheet priors: T0 and the offset from the points, k near the prior. */
    @Test
    void twoTemperaturesLeanOnThePriors() {
        TemperatureFit f = TemperatureFit.fit(List.of(new TemperatureFit.Point(T, 10, rate(18, 25, 0.034, 10), 0.02),
                new TemperatureFit.Point(T, 35, rate(18, 25, 0.034, 35), 0.02)));
        assertThat(f.turnoverCelsius()).isCloseTo(25, within(0.05));
        assertThat(f.kPpmPerCelsius2()).isCloseTo(0.034, within(0.0005));
        assertThat(f.ratePpm(20)).isCloseTo(rate(18, 25, 0.034, 20), within(0.02));
        assertThat(f.k95()).isGreaterThan(0.005);
    }

    /** Two calibrations a month apart: the aging term of ln(1 + age/30 d) is fitted. */
    @Test
    void aMonthLaterTheAgingIsFitted() {
        double alpha = 1.2;
        List<TemperatureFit.Point> p = new ArrayList<>();
        for (long at : new long[] {T, T + 30 * DAY_MICROS}) {
            double aging = alpha * Math.log1p((at - T) / (double) (30 * DAY_MICROS));
            for (double c : new double[] {10, 35}) {
                p.add(new TemperatureFit.Point(at, c, rate(18, 25, 0.034, c) + aging, 0.02));
            }
        }
        TemperatureFit f = TemperatureFit.fit(p);
        assertThat(f.agingFitted()).isTrue();
        assertThat(f.agingPpm()).isCloseTo(alpha, within(0.01));
        assertThat(f.originMicros()).isEqualTo(T);
        assertThat(f.ratePpm(25, T + 365 * DAY_MICROS) - f.ratePpm(25)).isCloseTo(alpha * Math.log1p(365 / 30.0),
                within(0.05));
        assertThat(f.curve().agingPpm()).isEqualTo(f.agingPpm());
    }

    @Test
    void tooFewOrTooCloseTemperaturesAreRefused() {
        assertThatThrownBy(() -> TemperatureFit.fit(List.of(new TemperatureFit.Point(T, 20, 1, 0.1))))
                .hasMessage("the curve needs calibrations at two or more temperatures at least 5 °C apart");
        assertThatThrownBy(() -> TemperatureFit.fit(List.of(new TemperatureFit.Point(T, 20, 1, 0.1),
                new TemperatureFit.Point(T, 24, 1, 0.1)))).isInstanceOf(IllegalArgumentException.class);
    }
}
