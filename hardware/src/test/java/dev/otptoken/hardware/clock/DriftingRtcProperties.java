package dev.otptoken.hardware.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import java.util.List;

class DriftingRtcProperties {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Property
    void trimLeavesAtMostHalfAStep(@ForAll @DoubleRange(min = -150, max = 150) double drift) {
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, CrystalModel.of(drift, 25, 0), TrimRegister.STM32_CALR);
        rtc.setTrim(TrimRegister.STM32_CALR.stepsFor(-drift));
        assertThat(Math.abs(rtc.ratePpm())).isLessThanOrEqualTo(TrimRegister.STM32_CALR.stepPpm() / 2 + 1e-12);
    }

    @Property
    void readingsAreMonotonic(@ForAll @DoubleRange(min = -200, max = 200) double tol,
                              @ForAll @DoubleRange(min = -5, max = 5) double aging,
                              @ForAll @Size(min = 1, max = 6) List<@DoubleRange(min = -40, max = 85) Double> temps,
                              @ForAll @Size(min = 1, max = 40) List<@LongRange(min = 0, max = 40_000_000_000_000_000L) Long> steps,
                              @ForAll @LongRange(min = 1, max = 100_000_000_000_000L) long segment) {
        long s = START.getEpochSecond() * 1_000_000_000L;
        long[] times = new long[temps.size()];
        double[] c = new double[temps.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = s + i * segment;
            c[i] = temps.get(i);
        }
        VirtualTimeSource t = new VirtualTimeSource(START);
        DriftingRtc rtc = new DriftingRtc(t, new CrystalModel(tol, 25, 0.034, aging,
                new PiecewiseLinearTemperature(times, c)), TrimRegister.STM32_CALR);
        long now = s;
        long last = rtc.readNanos();
        for (long step : steps) {
            for (long d : new long[] {step % 1000, step}) {
                now += d;
                t.setNanos(now);
                long r = rtc.readNanos();
                assertThat(r).isGreaterThanOrEqualTo(last);
                last = r;
            }
        }
    }
}
