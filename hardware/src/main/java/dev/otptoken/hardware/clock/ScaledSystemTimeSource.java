package dev.otptoken.hardware.clock;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Simulated true time that runs {@code timeScale} times faster than the host clock, so a
 * year of drift can be watched in seconds: {@code start + K × (host elapsed)}.
 */
public final class ScaledSystemTimeSource implements TimeSource {
    private final long startNanos;
    private final double timeScale;
    private final InstantSource host;
    private final Instant hostStart;

    public ScaledSystemTimeSource(Instant start, double timeScale, InstantSource host) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be positive and finite: " + timeScale);
        }
        this.startNanos = Math.addExact(Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano());
        this.timeScale = timeScale;
        this.host = host;
        this.hostStart = host.instant();
    }

    @Override
    public long epochNanos() {
        long elapsed = Duration.between(hostStart, host.instant()).toNanos();
        long scaled = timeScale == 1.0 ? elapsed : Math.round(elapsed * timeScale);
        return startNanos + scaled;
    }
}
