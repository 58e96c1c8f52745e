package dev.otptoken.host.session;

import java.time.Instant;
import java.util.Optional;

/**
 * GET CLOCK of the device applet.
 *
 * @param tokenMicros the RTC reading, µs since the epoch
 * @param trim the trim register, in its steps
 * @param trimStepPpt one trim step in parts per trillion
 * @param lastSetMicros the RTC reading at the last SET CLOCK, 0 if never set
 */
public record ClockReading(long tokenMicros, int trim, long trimStepPpt, int trimMin, int trimMax,
                           long lastSetMicros) {
    /** The token's time. */
    public Instant tokenTime() {
        return micros(tokenMicros);
    }

    /** The trim expressed in ppm. */
    public double trimPpm() {
        return trim * (trimStepPpt / 1_000_000.0);
    }

    /** When the clock was last set, if ever. */
    public Optional<Instant> lastSet() {
        return lastSetMicros == 0 ? Optional.empty() : Optional.of(micros(lastSetMicros));
    }

    static Instant micros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
    }
}
