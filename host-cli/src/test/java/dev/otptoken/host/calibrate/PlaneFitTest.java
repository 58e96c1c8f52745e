package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class PlaneFitTest {
    @Property(tries = 50)
    void recoversAnExactPlane(@ForAll @DoubleRange(min = -10, max = 10) double a,
                              @ForAll @DoubleRange(min = -150, max = 150) double ppm,
                              @ForAll @DoubleRange(min = -1, max = 1) double c) {
        double b = ppm * 1e-6;
        int n = 40;
        double[] x = new double[n];
        double[] z = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 1.5;
            z[i] = 0.005 + ((i * 7) % 11) * 0.001; // not collinear with x
            y[i] = a + b * x[i] + c * z[i];
        }
        PlaneFit f = PlaneFit.of(x, z, y);
        assertThat(f.b()).isCloseTo(b, within(1e-9));
        assertThat(f.c()).isCloseTo(c, within(1e-7));
        assertThat(f.at(10, 0.007)).isCloseTo(a + b * 10 + c * 0.007, within(1e-9));
        assertThat(f.residualSigma()).isLessThan(1e-9);
    }

    @Test
    void aConstantSecondVariableFallsBackToTheLine() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] z = {2, 2, 2, 2, 2, 2};
        double[] y = {1.0, 3.1, 4.9, 7.2, 8.8, 11.1};
        PlaneFit p = PlaneFit.of(x, z, y);
        LinearFit l = LinearFit.of(x, y);
        assertThat(p.c()).isZero();
        assertThat(p.b()).isCloseTo(l.slope(), within(1e-12));
        assertThat(p.bError()).isCloseTo(l.slopeError(), within(1e-12));
        assertThat(p.bHalfWidth95()).isGreaterThan(0);
    }

    @Test
    void refusesTooLittleData() {
        assertThatThrownBy(() -> PlaneFit.of(new double[3], new double[3], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlaneFit.of(new double[5], new double[5], new double[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same x");
    }
}
