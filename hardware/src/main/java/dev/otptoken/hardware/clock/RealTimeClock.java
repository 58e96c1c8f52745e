package dev.otptoken.hardware.clock;

/**
 * The token's real-time clock: a counter driven by a drifting crystal, corrected by a
 * digital trim register. Readings are answered in constant time for any true time (no
 * ticking loop) and never go backwards except through {@link #set}.
 */
public interface RealTimeClock {

    /** What the RTC reads now, in microseconds since the Unix epoch. */
    long readMicros();

    /** Sets the RTC so that it reads {@code micros} now; it runs on from there. */
    void set(long micros);

    /** The trim register's current value, in register steps. */
    int trim();

    /** Writes the trim register; takes effect from this instant on. */
    void setTrim(int steps);

    /** The model of the trim register (step size and range). */
    TrimRegister trimRegister();
}
