package dev.otptoken.hardware.clock;

import java.time.Duration;
import java.time.Instant;

/** A true time moved only by hand, for tests. */
public final class VirtualTimeSource implements TimeSource {
    private volatile long nanos;

    public VirtualTimeSource(Instant start) {
        set(start);
    }

    @Override
    public long epochNanos() {
        return nanos;
    }

    public synchronized void advance(Duration d) {
        nanos = Math.addExact(nanos, d.toNanos());
    }

    public synchronized void set(Instant t) {
        nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    public synchronized void setNanos(long epochNanos) {
        nanos = epochNanos;
    }
}
