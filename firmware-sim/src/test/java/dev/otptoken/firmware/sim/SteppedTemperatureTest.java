package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.hardware.clock.ConstantTemperature;
import org.junit.jupiter.api.Test;

/** The temperature {@link OtpToken#setTemperature} changes: constant between its steps. */
class SteppedTemperatureTest {
    private static final long S = 1_000_000_000L;

    @Test
    void withoutAChangeItIsTheConstantTemperature() {
        SteppedTemperature t = new SteppedTemperature(40);
        ConstantTemperature c = new ConstantTemperature(40);
        assertThat(t.celsiusAt(123 * S)).isEqualTo(40);
        assertThat(t.squaredDeviationIntegral(-5 * S, 100 * S, 25))
                .isCloseTo(c.squaredDeviationIntegral(-5 * S, 100 * S, 25), within(1e-9));
    }

    @Test
    void theIntegralAddsTheStepsItCrosses() {
        SteppedTemperature t = new SteppedTemperature(25);
        t.set(10 * S, 35);
        t.set(20 * S, 15);
        assertThat(t.celsiusAt(9 * S)).isEqualTo(25);
        assertThat(t.celsiusAt(10 * S)).isEqualTo(35);
        assertThat(t.celsiusAt(25 * S)).isEqualTo(15);
        // 0..10 s at 0 °C² + 10..20 s at 100 °C² + 20..30 s at 100 °C²
        assertThat(t.squaredDeviationIntegral(0, 30 * S, 25)).isCloseTo(2_000, within(1e-9));
        assertThat(t.squaredDeviationIntegral(30 * S, 15 * S, 25)).isCloseTo(-1_500, within(1e-9));
        assertThat(t.squaredDeviationIntegral(12 * S, 12 * S, 25)).isZero();
    }

    @Test
    void aChangeCannotGoBackInTimeButMayReplaceTheLastOne() {
        SteppedTemperature t = new SteppedTemperature(25);
        t.set(10 * S, 35);
        t.set(10 * S, 30);
        assertThat(t.celsiusAt(11 * S)).isEqualTo(30);
        assertThatThrownBy(() -> t.set(5 * S, 0)).isInstanceOf(IllegalArgumentException.class);
        for (int i = 0; i < 20; i++) {
            t.set((20 + i) * S, i);
        }
        assertThat(t.celsiusAt(39 * S)).isEqualTo(19);
    }
}
