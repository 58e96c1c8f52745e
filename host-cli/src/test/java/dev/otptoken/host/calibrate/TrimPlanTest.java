package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrimPlanTest {
    private static final double STEP = 0.953674316; // STM32 CALR, 2^-20

    @Test
    void roundsToTheNearestStepAgainstTheRate() {
        TrimPlan p = TrimPlan.of(20.07, 0, STEP, -511, 512);
        assertThat(p.newTrim()).isEqualTo(-21); // 20.07 / 0.9537 = 21.04
        assertThat(p.predictedResidualPpm()).isCloseTo(20.07 - 21 * STEP, within(1e-9));
        assertThat(p.clamped()).isFalse();
        assertThat(TrimPlan.of(-150, 0, STEP, -511, 512).newTrim()).isEqualTo(157); // 157.29
        assertThat(TrimPlan.of(0.4, 0, STEP, -511, 512).newTrim()).isZero();
        assertThat(TrimPlan.of(0.5, 0, STEP, -511, 512).newTrim()).isEqualTo(-1);
    }

    @Test
    void movesFromTheCurrentTrim() {
        // measured +1.2 ppm with trim −30 in place: one more step down
        assertThat(TrimPlan.of(1.2, -30, STEP, -511, 512).newTrim()).isEqualTo(-31);
    }

    @Test
    void clampsToTheRegister() {
        TrimPlan p = TrimPlan.of(-600, 0, STEP, -511, 512);
        assertThat(p.newTrim()).isEqualTo(512);
        assertThat(p.clamped()).isTrue();
        assertThat(p.predictedResidualPpm()).isCloseTo(-600 + 512 * STEP, within(1e-9));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> TrimPlan.of(1, 0, 0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrimPlan.of(Double.NaN, 0, STEP, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void residualIsAtMostHalfAStepInsideTheRange(@ForAll @DoubleRange(min = -480, max = 480) double crystal,
                                                 @ForAll @IntRange(min = -100, max = 100) int current) {
        double measured = crystal + current * STEP;
        TrimPlan p = TrimPlan.of(measured, current, STEP, -511, 512);
        assertThat(p.clamped()).isFalse();
        assertThat(Math.abs(p.predictedResidualPpm())).isLessThanOrEqualTo(STEP / 2 + 1e-9);
        assertThat(p.predictedResidualPpm()).isCloseTo(crystal + p.newTrim() * STEP, within(1e-6));
        assertThat(TrimPlan.untrimmedPpm(measured, current, STEP)).isCloseTo(crystal, within(1e-9));
    }
}
