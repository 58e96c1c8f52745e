package dev.otptoken.firmware.oath;

/**
 * The schedule that slows password guessing (docs/oath-applet.md, "Brute-force limit").
 *
 * <p>The first {@link #FREE_FAILURES} wrong VALIDATEs cost nothing, so a user (or ykman)
 * who mistypes once or twice is not slowed; after that every VALIDATE, right or wrong,
 * waits before it is checked: 1 s, doubling per further failure, capped at
 * {@link #MAX_DELAY_MILLIS}. The cap stays well inside the host's T=1 exchange limit
 * (60 s, {@code T1Timing.DEFAULT.maxExchange()}), so an honest host is kept waiting with
 * S(WTX) instead of timing out.
 */
public final class ValidateThrottle {
    /** Wrong VALIDATEs in a row that cost no wait. */
    public static final int FREE_FAILURES = 3;
    /** The wait once the free failures are spent. */
    public static final long FIRST_DELAY_MILLIS = 1_000;
    /** The longest wait: reached after 8 failures in a row. */
    public static final long MAX_DELAY_MILLIS = 30_000;
    /** The stored count saturates here (one byte); the wait saturated long before. */
    public static final int MAX_COUNT = 0xFF;

    private ValidateThrottle() {
    }

    /** The wait before a VALIDATE is checked, when {@code failures} wrong ones preceded it. */
    public static long delayMillis(int failures) {
        if (failures < FREE_FAILURES) {
            return 0;
        }
        int doublings = failures - FREE_FAILURES;
        long delay = FIRST_DELAY_MILLIS;
        // bounded: stops at the cap, at most log2(30) ≈ 5 doublings
        while (doublings > 0 && delay < MAX_DELAY_MILLIS) {
            delay *= 2;
            doublings--;
        }
        return Math.min(delay, MAX_DELAY_MILLIS);
    }
}
