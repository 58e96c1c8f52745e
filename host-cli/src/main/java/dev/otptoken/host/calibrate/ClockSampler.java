package dev.otptoken.host.calibrate;

import dev.otptoken.host.session.ClockReading;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the token clock as often as the link allows for a while, timestamping every
 * exchange on the host just before the request and just after the reply. Exchanges follow
 * each other without pause: more of them give every second of the run more fast ones to
 * choose from, and a steady stream keeps both ends' code and caches hot, where a pause makes
 * the next exchange slower. The count is capped so that a long run keeps a bounded memory
 * and loop, by spacing exchanges out.
 */
public final class ClockSampler {
    /** The most exchanges one measurement makes: about three minutes' worth on a pseudo-terminal. */
    public static final int MAX_SAMPLES = 1_000_000;
    /**
     * Failed exchanges tolerated per measurement. A busy host can make one exchange of
     * thousands miss the link's retransmission deadline; losing a sample costs nothing, losing
     * a minute's run does. Beyond this many the link is broken and the first error is thrown.
     */
    public static final int MAX_FAILED_EXCHANGES = 20;

    private final ClockDevice device;
    private final HostClock clock;
    private final Pacer pacer;
    private final Progress progress;

    public ClockSampler(ClockDevice device, HostClock clock, Pacer pacer, Progress progress) {
        this.device = device;
        this.clock = clock;
        this.pacer = pacer;
        this.progress = progress;
    }

    /** What one measurement collected: the samples and the first reading (trim, its range and step). */
    public record Samples(List<ClockSample> samples, ClockReading first) {
        public Samples {
            samples = List.copyOf(samples);
        }
    }

    /** Samples for {@code duration}; at least {@link DriftEstimate#MIN_SAMPLES} exchanges whatever the duration. */
    public Samples sample(String phase, Duration duration) throws IOException, ApduException, InterruptedException {
        long total = duration.toNanos();
        if (total <= 0) {
            throw new IllegalArgumentException("duration must be positive");
        }
        long spacing = total / MAX_SAMPLES;
        List<ClockSample> samples = new ArrayList<>();
        ClockReading first = null;
        long start = clock.nowNanos();
        long end = start + total;
        IOException firstFailure = null;
        int failures = 0;
        for (int i = 0; i < MAX_SAMPLES; i++) {
            long sent = clock.nowNanos();
            if (sent >= end && samples.size() >= DriftEstimate.MIN_SAMPLES) {
                break;
            }
            ClockReading r;
            try {
                r = device.clock();
            } catch (IOException e) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = e;
                }
                if (failures > MAX_FAILED_EXCHANGES) {
                    throw firstFailure;
                }
                continue;
            }
            long received = clock.nowNanos();
            if (first == null) {
                first = r;
            }
            samples.add(new ClockSample(sent, received, r.tokenMicros()));
            progress.update(phase, Math.min(received - start, total), total, samples.size());
            if (spacing > 0) {
                pacer.awaitHostNanos(clock, Math.min(end, start + (i + 1) * spacing));
            }
        }
        progress.done();
        return new Samples(samples, first);
    }
}
