package dev.otptoken.host.calibrate;

/** Waits until a host instant; a seam so tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Pacer {
    /** Returns once {@code clock} reads at least {@code hostNanos} (or at once if it already does). */
    void awaitHostNanos(HostClock clock, long hostNanos) throws InterruptedException;

    /** Sleeps in the current thread. */
    static Pacer sleeping() {
        return (clock, target) -> {
            // bounded: each pass sleeps the remaining time, and the monotonic clock only advances
            for (long left = target - clock.nowNanos(); left > 0; left = target - clock.nowNanos()) {
                Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            }
        };
    }
}
