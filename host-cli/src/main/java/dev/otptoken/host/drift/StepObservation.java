package dev.otptoken.host.drift;

import dev.otptoken.protocol.oath.Totp;

/**
 * A code seen at a known true time that matched the token's time step {@code stepOffset}
 * steps away from the verifier's own. It bounds the token's clock offset to one period:
 * with {@code s = floor(t / P)}, the token's step {@code s + k} means
 * {@code (s + k)·P ≤ t + offset < (s + k + 1)·P}.
 *
 * @param epochMillis   when the code was seen (verifier's true time), ms since the epoch
 * @param stepOffset    token step minus verifier step
 * @param periodSeconds the account's period
 */
public record StepObservation(long epochMillis, long stepOffset, int periodSeconds) {

    public StepObservation {
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
    }

    /** The lowest token offset (s) consistent with the observation. */
    public double offsetLow() {
        long periodMillis = periodSeconds * 1000L;
        long step = Totp.step(epochMillis, Totp.MILLISECONDS, periodSeconds);
        return ((step + stepOffset) * periodMillis - epochMillis) / 1000.0;
    }

    /** The highest token offset (s, exclusive) consistent with the observation. */
    public double offsetHigh() {
        return offsetLow() + periodSeconds;
    }
}
