package dev.otptoken.hardware.io;

/** A classified press: kind, release time (true nanos) and how long the button was held. */
public record ButtonEvent(Kind kind, long atNanos, long durationNanos) {
    public enum Kind { SHORT, LONG }
}
