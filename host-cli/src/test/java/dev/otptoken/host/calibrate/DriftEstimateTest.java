package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DriftEstimateTest {

    private static final long T0 = 1_800_000_000_000_000_000L;

    /**
     * Synthetic exchanges as a pseudo-terminal makes them (docs/calibration.md, "Accuracy"):
     * one every {@code 1/perSecond} s; the token reads its clock a forward delay after the
     * request leaves and the host sees the reply a return delay later; each delay is a fixed
     * minimum plus an exponential tail.
     */
    private static List<ClockSample> samples(double offsetS, double ratePpm, double seconds, int perSecond,
                                             double forwardMinUs, double returnMinUs, double tailUs, long seed) {
        Random rnd = new Random(seed);
        List<ClockSample> out = new ArrayList<>();
        int n = (int) (seconds * perSecond);
        for (int i = 0; i < n; i++) {
            long sent = T0 + (long) (i * 1e9 / perSecond);
            long readAt = sent + micros(forwardMinUs + tail(rnd, tailUs));
            long received = readAt + micros(returnMinUs + tail(rnd, tailUs));
            out.add(new ClockSample(sent, received, tokenMicros(readAt, offsetS, ratePpm)));
        }
        return out;
    }

    private static double tail(Random rnd, double meanUs) {
        return -Math.log(1 - rnd.nextDouble()) * meanUs;
    }

    private static long micros(double us) {
        return Math.round(us * 1000);
    }

    /** The token's reading at host instant {@code readAt}: offset and rate counted from T0. */
    private static long tokenMicros(long readAt, double offsetS, double ratePpm) {
        long elapsed = readAt - T0;
        return Math.floorDiv(readAt + Math.round(offsetS * 1e9 + ratePpm * 1e-6 * elapsed), 1000L);
    }

    /** The slope of a plain least-squares line through every midpoint, ppm: what the fit must beat. */
    private static double plainRatePpm(List<ClockSample> s) {
        double[] x = s.stream().mapToDouble(c -> (c.hostMidpointNanos() - T0) / 1e9).toArray();
        double[] y = s.stream().mapToDouble(ClockSample::offsetSeconds).toArray();
        return LinearFit.of(x, y).slope() * 1e6;
    }

    @Property(tries = 40)
    void recoversOffsetAndRate(@ForAll @DoubleRange(min = -150, max = 150) double ratePpm,
                               @ForAll @DoubleRange(min = -5, max = 5) double offsetS,
                               @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        DriftEstimate e = DriftEstimate.fit(samples(offsetS, ratePpm, 60, 1000, 60, 90, 40, seed));
        assertThat(e.ratePpm()).isCloseTo(ratePpm, within(0.05));
        assertThat(e.rate95Ppm()).isLessThan(0.2);
        assertThat(Math.abs(e.ratePpm() - ratePpm)).isLessThanOrEqualTo(e.rate95Ppm());
        // the fastest exchanges' asymmetry, (60 − 90)/2 µs, is in the offset: no host timing sees it
        double expectedOffsetAtEnd = offsetS + ratePpm * 1e-6 * e.spanSeconds() - 15e-6;
        assertThat(e.offsetSeconds()).isCloseTo(expectedOffsetAtEnd, within(5e-6));
        assertThat(e.samplesUsed()).isBetween(5_900, 6_300);
        assertThat(e.samplesUsed() + e.samplesDiscarded()).isEqualTo(60_000);
    }

    @Test
    void slowRoundTripsAreLeftOut() {
        List<ClockSample> s = samples(0.5, 20, 60, 500, 60, 90, 30, 7);
        // in the last third, every 37th exchange stalled for 50 ms with the reading taken at its very end
        for (int i = 2 * s.size() / 3; i < s.size(); i += 37) {
            ClockSample c = s.get(i);
            long stall = 50_000_000L;
            s.set(i, new ClockSample(c.hostSentNanos(), c.hostReceivedNanos() + stall,
                    c.tokenMicros() + stall / 1000));
        }
        assertThat(plainRatePpm(s)).as("the stalls disturb a plain fit").isNotCloseTo(20, within(0.3));
        DriftEstimate e = DriftEstimate.fit(s);
        assertThat(e.ratePpm()).isCloseTo(20, within(0.05));
        assertThat(e.residualMicros()).isLessThan(20);
    }

    /**
     * The pattern of a machine getting busier: the typical exchange slows down on its way
     * back (here by up to 120 µs over the minute) while the fastest exchanges of every second
     * stay as fast as they were. A line through all midpoints reads the slow-down as a rate.
     */
    @Property(tries = 20)
    void aBusierMachineIsNotARate(@ForAll @DoubleRange(min = -150, max = 150) double ratePpm,
                                  @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random rnd = new Random(seed);
        List<ClockSample> s = new ArrayList<>();
        int n = 120_000;
        for (int i = 0; i < n; i++) {
            long sent = T0 + i * 500_000L;
            long readAt = sent + micros(60 + tail(rnd, 20));
            double load = rnd.nextDouble() < 0.7 ? tail(rnd, 120.0 * i / n) : 0;
            long received = readAt + micros(90 + tail(rnd, 20) + load);
            s.add(new ClockSample(sent, received, tokenMicros(readAt, 0.25, ratePpm)));
        }
        assertThat(plainRatePpm(s)).isNotCloseTo(ratePpm, within(0.3));
        DriftEstimate e = DriftEstimate.fit(s);
        assertThat(e.ratePpm()).isCloseTo(ratePpm, within(0.05));
        assertThat(Math.abs(e.ratePpm() - ratePpm)).isLessThanOrEqualTo(e.rate95Ppm());
    }

    /**
     * Five seconds in which even the fastest exchanges came back 300 µs late (a neighbour
     * process holding the CPU): the median of slopes does not follow them, and the interval
     * leaves those seconds out rather than growing by their square.
     */
    @Test
    void aFewDisturbedSecondsMoveNeitherRateNorInterval() {
        List<ClockSample> clean = samples(0, -60, 60, 500, 60, 90, 30, 11);
        List<ClockSample> s = new ArrayList<>(clean);
        for (int i = 0; i < s.size(); i++) {
            ClockSample c = s.get(i);
            double at = (c.hostSentNanos() - T0) / 1e9;
            if (at >= 50 && at < 55) {
                s.set(i, new ClockSample(c.hostSentNanos(), c.hostReceivedNanos() + 300_000, c.tokenMicros()));
            }
        }
        DriftEstimate e = DriftEstimate.fit(s);
        assertThat(e.ratePpm()).isCloseTo(-60, within(0.05));
        assertThat(e.rate95Ppm()).isLessThan(2 * DriftEstimate.fit(clean).rate95Ppm());
    }

    @Test
    void theIntervalIsNeverBelowTheUnseenAsymmetryDrift() {
        // no jitter at all: the points lie on a line and least squares alone would claim ±0
        DriftEstimate e = DriftEstimate.fit(samples(0, 10, 30, 200, 60, 90, 0, 3));
        assertThat(e.ratePpm()).isCloseTo(10, within(0.01));
        assertThat(e.rate95Ppm()).isCloseTo(DriftEstimate.ASYMMETRY_WANDER_SECONDS / e.spanSeconds() * 1e6,
                within(1e-9));
    }

    @Test
    void aRunOfAFewSecondsFitsItsFastestExchanges() {
        DriftEstimate e = DriftEstimate.fit(samples(1, 45, 3, 2000, 60, 90, 30, 5));
        assertThat(e.ratePpm()).isCloseTo(45, within(2.0));
        assertThat(Math.abs(e.ratePpm() - 45)).isLessThanOrEqualTo(e.rate95Ppm());
        assertThat(e.samplesUsed()).isBetween(550, 650);
    }

    @Test
    void theilSenIsTheMedianOfPairwiseSlopes() {
        // slopes: (0,0)-(1,1): 1; (0,0)-(2,4): 2; (0,0)-(3,3): 1; (1,1)-(2,4): 3; (1,1)-(3,3): 1; (2,4)-(3,3): -1
        double slope = DriftEstimate.theilSenSlope(new double[] {0, 1, 2, 3}, new double[] {0, 1, 4, 3});
        assertThat(slope).isEqualTo(1.0);
    }

    @Test
    void perDayPerYearAndWindow() {
        DriftEstimate e = new DriftEstimate(2.0, 0, 20, 0, T0, 10, 0, 60, 1);
        assertThat(e.secondsPerDay()).isCloseTo(1.728, within(1e-9));
        assertThat(e.secondsPerYear()).isCloseTo(631.152, within(1e-6));
        // from +2 s at +20 ppm to +30 s: 28 s / 1.728 s/day
        assertThat(e.daysUntilOutsideWindow(30, 1)).isCloseTo(28 / 1.728, within(1e-9));
        DriftEstimate slow = new DriftEstimate(2.0, 0, -20, 0, T0, 10, 0, 60, 1);
        assertThat(slow.daysUntilOutsideWindow(30, 1)).isCloseTo(32 / 1.728, within(1e-9));
        DriftEstimate outside = new DriftEstimate(31, 0, 1, 0, T0, 10, 0, 60, 1);
        assertThat(outside.daysUntilOutsideWindow(30, 1)).isZero();
        DriftEstimate perfect = new DriftEstimate(0, 0, 0, 0, T0, 10, 0, 60, 1);
        assertThat(perfect.daysUntilOutsideWindow(30, 1)).isInfinite();
    }

    @Test
    void refusesTooFewSamples() {
        assertThatThrownBy(() -> DriftEstimate.fit(samples(0, 0, 1, 10, 60, 90, 30, 1).subList(0, 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
