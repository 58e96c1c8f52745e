package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock reading and the host's time at the middle of the exchange that fetched it: the
 * token answered somewhere within the round trip, so its middle is the fairest guess.
 *
 * @param reading   what GET CLOCK answered
 * @param host      the host's time halfway between sending the command and reading the answer
 * @param roundTrip how long the exchange took
 */
public record ClockMeasurement(ClockReading reading, Instant host, Duration roundTrip) {

    /** Reads the token's clock once through {@code device}, timed by {@code clock}. */
    public static ClockMeasurement measure(DeviceSession device, InstantSource clock) throws IOException, ApduException {
        Instant before = clock.instant();
        ClockReading r = device.clock();
        Instant after = clock.instant();
        Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
        return new ClockMeasurement(r, mid, Duration.between(before, after));
    }

    /** Token time minus host time, in seconds. */
    public double offsetSeconds() {
        Duration d = Duration.between(host, reading.tokenTime());
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
