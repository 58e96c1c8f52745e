package dev.otptoken.protocol.oath;

import java.time.Instant;

/**
 * The RFC 6238 TOTP reference: HOTP over the time step. Time is always a parameter, never
 * read here, so the token's drifting RTC and the host's clock can both be checked with it.
 * The epoch T0 is 0, as in YKOATH.
 */
public final class Totp {
    /** {@code unitsPerSecond} of {@link #step} for seconds, milliseconds and microseconds. */
    public static final long SECONDS = 1L;
    public static final long MILLISECONDS = 1_000L;
    public static final long MICROSECONDS = 1_000_000L;

    private Totp() {
    }

    /**
     * The time step containing {@code t}: floor(seconds / period). Floor rather than Java's
     * truncating division so instants before 1970 fall in the right (negative) step.
     */
    public static long timeStep(Instant t, int periodSeconds) {
        return step(t.getEpochSecond(), SECONDS, periodSeconds);
    }

    /**
     * The time step of an instant counted in units of {@code 1 / unitsPerSecond} seconds since
     * the epoch (1 for seconds, 1,000 for milliseconds, 1,000,000 for the token's microsecond
     * clock): floor(time / (period × unitsPerSecond)), which equals the step of the whole second
     * the instant falls in. The one TOTP step rule of the project; allocation-free, so the
     * firmware calls it too.
     */
    public static long step(long time, long unitsPerSecond, int periodSeconds) {
        checkPeriod(periodSeconds);
        if (unitsPerSecond <= 0) {
            throw new IllegalArgumentException("units per second must be positive");
        }
        return Math.floorDiv(time, Math.multiplyExact(unitsPerSecond, (long) periodSeconds));
    }

    /** The 8-byte YKOATH challenge (the HOTP moving factor) of the time step containing {@code t}. */
    public static byte[] challenge(Instant t, int periodSeconds) {
        return Hotp.counterBytes(timeStep(t, periodSeconds));
    }

    /** The TOTP code at {@code t}. */
    public static String code(HashAlgorithm alg, byte[] key, Instant t, int periodSeconds, int digits) {
        return Hotp.code(alg, key, timeStep(t, periodSeconds), digits);
    }

    /** The first instant of {@code step}. */
    public static Instant stepStart(long step, int periodSeconds) {
        checkPeriod(periodSeconds);
        return Instant.ofEpochSecond(Math.multiplyExact(step, (long) periodSeconds));
    }

    /** Whole seconds until the next step begins, 1..period (sub-second part ignored). */
    public static int secondsRemaining(Instant t, int periodSeconds) {
        checkPeriod(periodSeconds);
        return periodSeconds - (int) Math.floorMod(t.getEpochSecond(), (long) periodSeconds);
    }

    private static void checkPeriod(int periodSeconds) {
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodSeconds);
        }
    }
}
