package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinearFitTest {

    @Test
    void exactLine() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 3, 5, 7, 9};
        LinearFit f = LinearFit.of(x, y);
        assertThat(f.slope()).isCloseTo(2, within(1e-12));
        assertThat(f.at(0)).isCloseTo(1, within(1e-12));
        assertThat(f.residualSigma()).isCloseTo(0, within(1e-12));
    }

    /** Worked example: x = 1..5, y = 2,4,5,4,5 gives slope 0.6, intercept 2.2, SE(slope) = 0.2828. */
    @Test
    void textbookStandardErrors() {
        LinearFit f = LinearFit.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5});
        assertThat(f.slope()).isCloseTo(0.6, within(1e-12));
        assertThat(f.at(0)).isCloseTo(2.2, within(1e-12));
        assertThat(f.slopeError()).isCloseTo(Math.sqrt(2.4 / 3 / 10), within(1e-12));
        assertThat(f.slopeHalfWidth95()).isCloseTo(3.1824 * Math.sqrt(0.08), within(1e-9));
    }

    @ParameterizedTest
    @CsvSource({"1,12.7062", "5,2.5706", "8,2.3060", "10,2.2281", "30,2.0423", "120,1.9799", "1000,1.9623"})
    void studentQuantiles(int dof, double expected) {
        assertThat(LinearFit.studentT975(dof)).isCloseTo(expected, within(2e-4));
    }

    @Test
    void largeEpochValuesKeepPrecision() {
        double base = 1.8e9;
        double[] x = new double[100];
        double[] y = new double[100];
        for (int i = 0; i < 100; i++) {
            x[i] = base + i * 0.6;
            y[i] = 0.25 + 50e-6 * (x[i] - base);
        }
        assertThat(LinearFit.of(x, y).slope()).isCloseTo(50e-6, within(1e-12));
    }

    /**
     * Noise whose neighbours err alike (AR(1), ρ = 0.6, as a link's wander across per-second
     * bins): the plain interval covers the true slope far less often than 95 % of the time;
     * the widened one about as often as it says.
     */
    @Test
    void serialCorrelationWidensTheIntervalToItsStatedCoverage() {
        Random rnd = new Random(42);
        int trials = 2000;
        int plainCovers = 0;
        int serialCovers = 0;
        for (int t = 0; t < trials; t++) {
            double[] x = new double[60];
            double[] y = new double[60];
            double e = rnd.nextGaussian();
            for (int i = 0; i < x.length; i++) {
                e = 0.6 * e + Math.sqrt(1 - 0.36) * rnd.nextGaussian();
                x[i] = i;
                y[i] = 5 + 0.25 * i + e;
            }
            LinearFit plain = LinearFit.of(x, y);
            LinearFit serial = LinearFit.ofSerial(x, y);
            assertThat(serial.slope()).isEqualTo(plain.slope());
            plainCovers += Math.abs(plain.slope() - 0.25) <= plain.slopeHalfWidth95() ? 1 : 0;
            serialCovers += Math.abs(serial.slope() - 0.25) <= serial.slopeHalfWidth95() ? 1 : 0;
        }
        assertThat(plainCovers / (double) trials).as("plain").isLessThan(0.8);
        assertThat(serialCovers / (double) trials).as("widened").isBetween(0.91, 0.99);
    }

    @Test
    void independentNoiseIsNotWidened() {
        // residuals that alternate in sign: negative lag-1 correlation, nothing to widen
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] y = {1, 3, 3, 5, 5, 7, 7, 9};
        assertThat(LinearFit.ofSerial(x, y)).isEqualTo(LinearFit.of(x, y));
    }
}
