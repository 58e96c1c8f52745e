package dev.otptoken.hardware.clock;

/** True (simulated) time, the reference every drifting clock is measured against. */
@FunctionalInterface
public interface TimeSource {

    /** True time now, in nanoseconds since the Unix epoch. */
    long epochNanos();
}
