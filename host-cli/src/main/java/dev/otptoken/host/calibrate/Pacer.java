package dev.otptoken.host.calibrate;

import java.util.concurrent.locks.LockSupport;

/** Waits until a host instant; a seam so tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Pacer {
    /** Returns once {@code clock} reads at least {@code hostNanos} (or at once if it already does). */
    void awaitHostNanos(HostClock clock, long hostNanos) throws InterruptedException;

    /**
     * Parks the current thread. Not {@code Thread.sleep(ms, ns)}: Java 17 rounds that up to
     * whole milliseconds, which turns an even spacing into bursts.
     */
    static Pacer sleeping() {
        return (clock, target) -> {
            // bounded: each pass parks for the remaining time, and the monotonic clock only advances
            for (long left = target - clock.nowNanos(); left > 0; left = target - clock.nowNanos()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while pacing the clock readings");
                }
            }
        };
    }
}
