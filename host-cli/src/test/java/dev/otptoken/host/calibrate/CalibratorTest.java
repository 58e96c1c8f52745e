package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CalibratorTest {
    private static final long START = 1_900_000_000L * 1_000_000_000L;
    private static final long RTT = 3_000_000L; // 3 ms, a pseudo-terminal with T=1
    private static final double HALF_STEP = SimulatedClockDevice.STEP_PPT / 2e6;

    @Property(tries = 25)
    void sixtySecondsEstimateTheRateWithinAThirdOfAPpm(@ForAll @DoubleRange(min = -150, max = 150) double ppm,
                                                       @ForAll @DoubleRange(min = -3, max = 3) double offset,
                                                       @ForAll @LongRange(min = 0, max = 1_000_000) long seed)
            throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, offset, ppm, RTT, 0.01, seed);
        Calibration c = new Calibrator(dev, dev.hostClock(), dev.pacer(), Progress.NONE)
                .run(Duration.ofSeconds(60), false, Calibrator.MIN_VERIFY);
        assertThat(c.estimate().ratePpm()).isCloseTo(ppm, within(0.3));
        assertThat(Math.abs(c.estimate().ratePpm() - ppm)).isLessThanOrEqualTo(c.estimate().rate95Ppm() * 2);
        // the token has drifted through the warm-up too: 12 s at 150 ppm is 1.8 ms
        double elapsed = Calibrator.WARM_UP.toNanos() / 1e9 + c.estimate().spanSeconds();
        assertThat(c.estimate().offsetSeconds()).isCloseTo(offset + ppm * 1e-6 * elapsed, within(0.001));
        assertThat(c.applied()).isEmpty();
        assertThat(dev.clockWrites).isZero();
        assertThat(c.trim()).isZero();
        assertThat(c.untrimmedPpm()).isEqualTo(c.estimate().ratePpm());
    }

    @Property(tries = 15)
    void applyLeavesAtMostHalfAStepPlusTheUncertainty(@ForAll @DoubleRange(min = -150, max = 150) double ppm,
                                                      @ForAll @LongRange(min = 0, max = 1_000_000) long seed)
            throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 7.5, ppm, RTT, 0.01, seed);
        Calibration c = new Calibrator(dev, dev.hostClock(), dev.pacer(), Progress.NONE)
                .run(Duration.ofSeconds(60), true, Calibrator.MIN_VERIFY);
        Calibration.Applied a = c.applied().orElseThrow();
        assertThat(dev.trim).isEqualTo(a.plan().newTrim());
        assertThat(dev.clockWrites).as("set once on cold paths, once on warm ones").isEqualTo(2);
        // the true residual: what the trim could not cancel
        assertThat(Math.abs(dev.ratePpm())).isLessThanOrEqualTo(HALF_STEP + c.estimate().rate95Ppm());
        assertThat(Math.abs(a.residual().ratePpm()))
                .isLessThanOrEqualTo(HALF_STEP + a.residual().rate95Ppm() + c.estimate().rate95Ppm());
        assertThat(a.residual().ratePpm()).isCloseTo(dev.ratePpm(), within(a.residual().rate95Ppm() * 2 + 0.05));
        // set to host time plus half a round trip: the offset is gone to well under a millisecond
        assertThat(Math.abs(a.residual().offsetSeconds())).isLessThan(0.001 + Math.abs(dev.ratePpm()) * 1e-6 * 30);
        assertThat(a.residual().spanSeconds()).isBetween(29.0, 30.5);
    }

    @Test
    void aCrystalBeyondTheRegisterIsClampedAndSaysSo() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 0, 600, RTT, 0, 1);
        Calibration c = new Calibrator(dev, dev.hostClock(), dev.pacer(), Progress.NONE)
                .run(Duration.ofSeconds(10), true, Duration.ofSeconds(10));
        TrimPlan p = c.applied().orElseThrow().plan();
        assertThat(p.clamped()).isTrue();
        assertThat(p.newTrim()).isEqualTo(SimulatedClockDevice.TRIM_MIN);
        assertThat(dev.trim).isEqualTo(SimulatedClockDevice.TRIM_MIN);
        DriftEstimate residual = c.applied().get().residual();
        assertThat(residual.ratePpm()).isCloseTo(600 - 511 * 0.953674, within(2 * residual.rate95Ppm()));
    }

    @Test
    void calibratingAgainStartsFromTheCurrentTrim() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 0, 41.96, RTT, 0, 2);
        dev.trim = -20; // already trimmed by 19.07 ppm
        Calibration c = new Calibrator(dev, dev.hostClock(), dev.pacer(), Progress.NONE)
                .run(Duration.ofSeconds(30), true, Duration.ofSeconds(20));
        assertThat(c.trim()).isEqualTo(-20);
        assertThat(c.untrimmedPpm()).isCloseTo(41.96, within(0.3));
        assertThat(c.applied().orElseThrow().plan().newTrim()).isEqualTo(-44); // 41.96 / 0.9537 = 44.00
    }

    @Test
    void aCurveWrittenInsteadOfATrimGetsTheSameClockAndVerification() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 4.2, 18.3, RTT, 0.01, 6);
        Calibrator calibrator = new Calibrator(dev, dev.hostClock(), dev.pacer(), Progress.NONE);
        Calibrator.Schedule schedule = Calibrator.Schedule.of(Duration.ofSeconds(20), true);
        assertThatThrownBy(() -> calibrator.setClockAndVerify(schedule)).as("no round trip measured yet")
                .isInstanceOf(IllegalStateException.class);
        Calibration measured = calibrator.measure(schedule);
        assertThat(measured.applied()).isEmpty();
        assertThat(dev.clockWrites).isZero();
        dev.trim = -19; // what a compensation curve's first trim would be: written by the caller, not by the calibrator
        Calibrator.Verification v = calibrator.setClockAndVerify(schedule);
        assertThat(dev.clockWrites).as("set once on cold paths, once on warm ones").isEqualTo(2);
        assertThat(dev.lastSet).isEqualTo(v.clockSetTo());
        assertThat(Math.abs(v.residual().offsetSeconds())).isLessThan(0.001);
        assertThat(v.residual().ratePpm()).isCloseTo(dev.ratePpm(), within(v.residual().rate95Ppm() * 2 + 0.05));
        assertThat(v.residual().spanSeconds()).isBetween(29.0, 30.5);
    }

    @Test
    void progressIsReportedPerPhaseAndEnded() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 0, 5, RTT, 0, 3);
        List<String> events = new ArrayList<>();
        Progress p = new Progress() {
            @Override
            public void update(String phase, long elapsed, long total, int samples) {
                if (events.isEmpty() || !events.get(events.size() - 1).equals(phase)) {
                    events.add(phase);
                }
                assertThat(elapsed).isBetween(0L, total);
            }

            @Override
            public void done() {
                events.add("done");
            }
        };
        new Calibrator(dev, dev.hostClock(), dev.pacer(), p).run(Duration.ofSeconds(6), true, Duration.ofSeconds(5));
        assertThat(events).containsExactly("warming up", "done", "measuring", "done", "settling", "done", "verifying", "done");
    }

    @Test
    void longRunsAreSpacedOutToTheSampleCap() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 0, -12, RTT, 0, 4);
        ClockSampler.Samples s = new ClockSampler(dev, dev.hostClock(), dev.pacer(), Progress.NONE)
                .sample("measuring", Duration.ofHours(2));
        assertThat(s.samples()).hasSizeLessThanOrEqualTo(ClockSampler.MAX_SAMPLES);
        long span = s.samples().get(s.samples().size() - 1).hostSentNanos() - s.samples().get(0).hostSentNanos();
        assertThat(span).isGreaterThan(Duration.ofHours(2).minusSeconds(1).toNanos());
        assertThat(DriftEstimate.fit(s.samples()).ratePpm()).isCloseTo(-12, within(0.01));
    }

    @Test
    void aFewFailedExchangesAreSkippedButABrokenLinkFails() throws Exception {
        SimulatedClockDevice dev = new SimulatedClockDevice(START, 0, 33, RTT, 0, 5);
        int[] calls = {0};
        ClockDevice flaky = new ClockDevice() {
            @Override
            public dev.otptoken.host.session.ClockReading clock() throws java.io.IOException {
                if (++calls[0] % 500 == 0) {
                    dev.hostNanos += 300_000_000L; // a retransmission timeout
                    throw new java.io.IOException("no valid reply after 3 retransmissions");
                }
                return dev.clock();
            }

            @Override
            public void setClock(java.time.Instant time, boolean force) {
                dev.setClock(time, force);
            }

            @Override
            public void setTrim(int steps) {
                dev.setTrim(steps);
            }
        };
        ClockSampler.Samples s = new ClockSampler(flaky, dev.hostClock(), dev.pacer(), Progress.NONE)
                .sample("measuring", Duration.ofSeconds(20));
        assertThat(DriftEstimate.fit(s.samples()).ratePpm()).isCloseTo(33, within(0.5));

        SimulatedClockDevice dead = new SimulatedClockDevice(START, 0, 0, RTT, 0, 6);
        ClockDevice broken = new ClockDevice() {
            @Override
            public dev.otptoken.host.session.ClockReading clock() throws java.io.IOException {
                dead.hostNanos += RTT;
                throw new java.io.IOException("gone " + dead.hostNanos);
            }

            @Override
            public void setClock(java.time.Instant time, boolean force) {
            }

            @Override
            public void setTrim(int steps) {
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClockSampler(broken, dead.hostClock(),
                dead.pacer(), Progress.NONE).sample("measuring", Duration.ofSeconds(20)))
                .isInstanceOf(java.io.IOException.class).hasMessage("gone " + (START + RTT));
    }

    @Test
    void verificationLastsHalfAndAtLeastThirtySeconds() {
        assertThat(Calibrator.verifyDurationFor(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
        assertThat(Calibrator.verifyDurationFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(30));
        assertThat(Calibrator.verifyDurationFor(Duration.ofMinutes(6))).isEqualTo(Duration.ofMinutes(3));
    }
}
