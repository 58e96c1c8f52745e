package dev.otptoken.firmware.oath;

/** The button as seen by the OATH applet: a touch-required code waits for a press. */
@FunctionalInterface
public interface TouchGate {
    /** Default wait, as on a YubiKey (about 15 s). */
    long DEFAULT_TIMEOUT_MILLIS = 15_000;

    /** Waits at most {@code timeoutMillis} for a press; {@code true} if one came. */
    boolean awaitTouch(long timeoutMillis);
}
