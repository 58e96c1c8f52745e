package dev.otptoken.host.calibrate;

import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Measures the token clock against the host and, on request, sets it and trims it, then
 * measures again to report what is left.
 */
public final class Calibrator {
    /** The shortest verification after {@code --apply}: shorter runs give a uselessly wide interval. */
    public static final Duration MIN_VERIFY = Duration.ofSeconds(30);
    /** The verification lasts this fraction of the measurement (or {@link #MIN_VERIFY}): 20 s proved too noisy on a busy host. */
    private static final int VERIFY_DIVISOR = 2;
    /**
     * Exchanges before the measurement, thrown away. While a JVM's JIT compiles the exchange
     * path (the host's, and the simulated token's) the exchanges speed up, which moves the
     * instant the token reads its clock within the round trip and shows as a slope of the
     * offset. On a pseudo-terminal the simulator's C2 recompilations go on for some 10 s of
     * exchanges; with 3 s of warm-up, 60-second runs at +80 ppm read up to 0.3 ppm low.
     */
    public static final Duration WARM_UP = Duration.ofSeconds(12);
    /**
     * Exchanges after {@code --apply}'s writes, thrown away before the verification: the first
     * readings with a new trim run through code the token had not used yet (measured: its
     * reading came 11 µs later for about 3 s, which a 30-second verification reads as 0.4 ppm).
     */
    public static final Duration SETTLE = Duration.ofSeconds(3);

    private final ClockDevice device;
    private final HostClock clock;
    private final ClockSampler sampler;
    private SampleLog log = SampleLog.NONE;
    /** Half the median round trip of the last {@link #measure}; negative before one. */
    private long halfRoundTripNanos = -1;

    public Calibrator(ClockDevice device, HostClock clock, Pacer pacer, Progress progress) {
        this.device = device;
        this.clock = clock;
        this.sampler = new ClockSampler(device, clock, pacer, progress);
    }

    /** Hands every phase's exchanges to {@code log} as it ends. */
    public Calibrator recordingTo(SampleLog log) {
        this.log = log;
        return this;
    }

    /**
     * The phases of a run and how long each lasts: what {@link #run(Schedule)} does, and what
     * the command announces before it starts.
     *
     * @param warmUp  exchanges thrown away first ({@link #WARM_UP})
     * @param measure the measurement
     * @param apply   whether the clock and the trim (or a curve) are written, then settled and verified
     * @param settle  exchanges thrown away after the writes ({@link #SETTLE}; unused without {@code apply})
     * @param verify  the verification ({@link #verifyDurationFor}; unused without {@code apply})
     */
    public record Schedule(Duration warmUp, Duration measure, boolean apply, Duration settle, Duration verify) {
        /** One phase: how long, and what it is called in the announcement ({@code warm-up}, {@code measurement}, ...). */
        public record Part(Duration duration, String name) {
        }

        /** The schedule {@code calibrate --duration measure [--apply]} runs. */
        public static Schedule of(Duration measure, boolean apply) {
            return new Schedule(WARM_UP, measure, apply, SETTLE, verifyDurationFor(measure));
        }

        /** The phases that run, in order: {@link #measuring()}, then {@link #verifying()}. */
        public List<Part> parts() {
            List<Part> parts = new ArrayList<>(measuring());
            parts.addAll(verifying());
            return parts;
        }

        /** What {@link #measure} runs: the warm-up and the measurement. */
        public List<Part> measuring() {
            return List.of(new Part(warmUp, "warm-up"), new Part(measure, "measurement"));
        }

        /** What {@link #setClockAndVerify} runs with {@code apply}: the settling and the verification; none without. */
        public List<Part> verifying() {
            return apply ? List.of(new Part(settle, "settling"), new Part(verify, "verification")) : List.of();
        }

        /** The whole run: the sum of the parts (the writes of {@code --apply} take milliseconds). */
        public Duration total() {
            return parts().stream().map(Part::duration).reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** Measures for {@code duration}; with {@code apply}, writes clock and trim and verifies for {@code verifyDuration}. */
    public Calibration run(Duration duration, boolean apply, Duration verifyDuration)
            throws IOException, ApduException, InterruptedException {
        return run(new Schedule(WARM_UP, duration, apply, SETTLE, verifyDuration));
    }

    /** Runs {@code schedule}: warm-up, measurement; with {@code apply}, the trim, then {@link #setClockAndVerify}. */
    public Calibration run(Schedule schedule) throws IOException, ApduException, InterruptedException {
        Calibration measured = measure(schedule);
        if (!schedule.apply()) {
            return measured;
        }
        TrimPlan plan = TrimPlan.of(measured.estimate().ratePpm(), measured.trim(), measured.stepPpm(),
                measured.trimMin(), measured.trimMax());
        device.setTrim(plan.newTrim());
        Verification v = setClockAndVerify(schedule);
        return new Calibration(measured.estimate(), measured.line(), measured.trim(), measured.stepPpm(),
                measured.trimMin(), measured.trimMax(), Optional.of(new Calibration.Applied(plan, v.clockSetTo(), v.residual())));
    }

    /**
     * The warm-up and the measurement of {@code schedule}, nothing written: the calibration
     * without {@code applied}. Keeps the exchanges' round trip for {@link #setClockAndVerify}.
     */
    public Calibration measure(Schedule schedule) throws IOException, ApduException, InterruptedException {
        log.phase("warm-up", sampler.sample("warming up", schedule.warmUp()).samples());
        ClockSampler.Samples measured = sampler.sample("measuring", schedule.measure());
        log.phase("measure", measured.samples());
        halfRoundTripNanos = medianRoundTrip(measured) / 2;
        DriftEstimate.Fitted fitted = DriftEstimate.fitted(measured.samples());
        var first = measured.first();
        return new Calibration(fitted.estimate(), fitted.line(), first.trim(), first.trimStepPpt() / 1e6,
                first.trimMin(), first.trimMax(), Optional.empty());
    }

    /**
     * The clock and the check after {@code --apply}'s other writes (a trim, or a compensation
     * curve), the same for both: the clock set to the host's time, then {@code schedule}'s
     * settling and verification. Follows a {@link #measure} of this calibrator, whose exchanges
     * give the round trip.
     */
    public Verification setClockAndVerify(Schedule schedule) throws IOException, ApduException, InterruptedException {
        if (halfRoundTripNanos < 0) {
            throw new IllegalStateException("no measurement to take the round trip from");
        }
        // The token sets its clock when the command arrives, about half a round trip after it
        // leaves; the user asked for the host's time, so moving backwards is allowed. The
        // first SET CLOCK of a session goes through cold code on both sides (class loading,
        // the interpreter: once 55 ms between the host reading its clock and the token
        // setting its own), so the clock is set twice and the second, on warm paths, counts.
        device.setClock(clock.now().plusNanos(halfRoundTripNanos), true);
        Instant target = clock.now().plusNanos(halfRoundTripNanos);
        device.setClock(target, true);
        log.phase("settle", sampler.sample("settling", schedule.settle()).samples());
        ClockSampler.Samples verify = sampler.sample("verifying", schedule.verify());
        log.phase("verify", verify.samples());
        return new Verification(target, DriftEstimate.fit(verify.samples()));
    }

    /**
     * What {@link #setClockAndVerify} did and found.
     *
     * @param clockSetTo the time written into the token clock
     * @param residual   the rate and offset measured after the writes
     */
    public record Verification(Instant clockSetTo, DriftEstimate residual) {
    }

    /** The verification time for a measurement of {@code duration}: half of it, at least 30 s. */
    public static Duration verifyDurationFor(Duration duration) {
        Duration part = duration.dividedBy(VERIFY_DIVISOR);
        return part.compareTo(MIN_VERIFY) < 0 ? MIN_VERIFY : part;
    }

    private static long medianRoundTrip(ClockSampler.Samples s) {
        long[] rtt = s.samples().stream().mapToLong(ClockSample::roundTripNanos).toArray();
        Arrays.sort(rtt);
        return rtt[rtt.length / 2];
    }
}
