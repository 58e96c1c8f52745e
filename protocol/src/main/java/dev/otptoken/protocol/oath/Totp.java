package dev.otptoken.protocol.oath;

import java.time.Instant;

/**
 * The RFC 6238 TOTP reference: HOTP over the time step. Time is always a parameter, never
 * read here, so the token's drifting RTC and the host's clock can both be checked with it.
 * The epoch T0 is 0, as in YKOATH.
 */
public final class Totp {
    private Totp() {
    }

    /**
     * The time step containing {@code t}: floor(seconds / period). Floor rather than Java's
     * truncating division so instants before 1970 fall in the right (negative) step.
     */
    public static long timeStep(Instant t, int periodSeconds) {
        checkPeriod(periodSeconds);
        return Math.floorDiv(t.getEpochSecond(), (long) periodSeconds);
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
