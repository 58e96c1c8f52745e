package dev.otptoken.hardware.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TemperatureSensorTest {
    private final VirtualTimeSource time = new VirtualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void readsInQuartersWithItsOffset() {
        TemperatureSensor s = new TemperatureSensor(time, TemperatureProfile.constant(21.3), 0.4);
        assertThat(s.readQuarterCelsius()).isEqualTo(87); // 21.7 °C → 21.75
        assertThat(new TemperatureSensor(time, TemperatureProfile.constant(-5.1), -0.3).readQuarterCelsius())
                .isEqualTo(-22); // −5.4 °C → −5.5
    }

    @Test
    void followsTheProfileOverTime() {
        long t0 = time.epochNanos();
        PiecewiseLinearTemperature p = new PiecewiseLinearTemperature(new long[] {t0, t0 + 1_000_000_000_000L},
                new double[] {10, 30});
        TemperatureSensor s = new TemperatureSensor(time, p, 0);
        assertThat(s.readQuarterCelsiusAt(t0)).isEqualTo(40);
        assertThat(s.readQuarterCelsiusAt(t0 + 500_000_000_000L)).isEqualTo(80);
    }

    @Test
    void anOffsetBeyondOneDegreeIsRefused() {
        assertThatThrownBy(() -> new TemperatureSensor(time, TemperatureProfile.constant(20), 1.01))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOffsetIsFixedPerDeviceAndSpread() {
        assertThat(TemperatureSensor.offsetForSerial(12345678)).isEqualTo(TemperatureSensor.offsetForSerial(12345678));
        double min = 1;
        double max = -1;
        for (long serial = 10_000_000; serial < 10_002_000; serial++) {
            double o = TemperatureSensor.offsetForSerial(serial);
            min = Math.min(min, o);
            max = Math.max(max, o);
        }
        assertThat(min).isLessThan(-0.9);
        assertThat(max).isGreaterThan(0.9);
    }

    @Property
    void theErrorIsTheOffsetWithinHalfAStep(@ForAll @DoubleRange(min = -40, max = 85) double celsius,
                                            @ForAll @LongRange(min = 0, max = 4_294_967_295L) long serial) {
        double offset = TemperatureSensor.offsetForSerial(serial);
        assertThat(Math.abs(offset)).isLessThanOrEqualTo(TemperatureSensor.MAX_OFFSET_CELSIUS);
        int q = new TemperatureSensor(time, TemperatureProfile.constant(celsius), offset).readQuarterCelsius();
        assertThat(q / 4.0 - celsius).isCloseTo(offset, within(0.125 + 1e-9));
    }
}
