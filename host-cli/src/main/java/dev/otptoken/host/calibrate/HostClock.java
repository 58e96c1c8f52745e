package dev.otptoken.host.calibrate;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * The host's time for calibration: a monotonic tick counter anchored once to the wall
 * clock. An NTP step or a manual change of the wall clock during a run would otherwise look
 * like a jump of the token's offset and ruin the rate; anchoring once keeps the wall clock's
 * absolute offset (needed to set the token) and the tick counter's smooth rate.
 */
public final class HostClock {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier ticks;
    private final long anchorTicks;
    private final long anchorEpochNanos;

    /**
     * @param wall  read once, now, for the absolute time
     * @param ticks monotonic nanoseconds (in production {@code System::nanoTime})
     */
    public HostClock(InstantSource wall, LongSupplier ticks) {
        this.ticks = ticks;
        this.anchorTicks = ticks.getAsLong();
        Instant w = wall.instant();
        this.anchorEpochNanos = Math.addExact(Math.multiplyExact(w.getEpochSecond(), NANOS_PER_SECOND), w.getNano());
    }

    /** Host time, nanoseconds since the epoch. */
    public long nowNanos() {
        return anchorEpochNanos + (ticks.getAsLong() - anchorTicks);
    }

    /** Host time as an instant. */
    public Instant now() {
        return instant(nowNanos());
    }

    /** An epoch-nanosecond count as an instant. */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS_PER_SECOND),
                Math.floorMod(epochNanos, NANOS_PER_SECOND));
    }
}
